// Finds `${{ }}` expressions in workflow values and the `steps.<id>.outputs.<name>` /
// `needs.<job>.outputs.<name>` references inside them.

export interface OutputRef {
  kind: 'steps' | 'needs';
  /** The step id or job id. */
  id: string;
  name: string;
  text: string;
}

/** The bodies of every `${{ ... }}` in a string (quotes inside an expression may contain `}}`). */
export function extractExpressions(value: string): string[] {
  const found: string[] = [];
  let from = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const start = value.indexOf('${{', from);
    if (start < 0) break;
    let i = start + 3;
    let quote = false;
    let end = -1;
    for (; i < value.length; i++) {
      const c = value[i];
      if (c === "'") quote = !quote;
      else if (!quote && c === '}' && value[i + 1] === '}') {
        end = i;
        break;
      }
    }
    if (end < 0) break;
    found.push(value.slice(start + 3, end).trim());
    from = end + 2;
  }
  return found;
}

const IDENT = '[A-Za-z_][A-Za-z0-9_-]*';
const REF = new RegExp(`\\b(steps|needs)\\.(${IDENT})\\.outputs(?:\\.(${IDENT})|\\[\\s*'([^']+)'\\s*\\])`, 'g');

/** Output references in an expression body, ignoring text inside string literals. */
export function findOutputRefs(expression: string): OutputRef[] {
  // Blank out string literals, except a bracket key like outputs['name'].
  const code = expression.replace(/'(?:[^']|'')*'/g, (literal: string, offset: number) =>
    /\[\s*$/.test(expression.slice(0, offset)) ? literal : "''",
  );
  const refs: OutputRef[] = [];
  for (const match of code.matchAll(REF)) {
    const before = code[match.index - 1];
    if (before === '.' || (before !== undefined && /[A-Za-z0-9_-]/.test(before))) continue;
    refs.push({ kind: match[1] as 'steps' | 'needs', id: match[2], name: match[3] ?? match[4], text: match[0] });
  }
  return refs;
}

/** Every string value in a nested structure, with the key path that led to it. */
export function collectStrings(value: unknown, path: string[] = [], out: { path: string[]; value: string }[] = []) {
  if (typeof value === 'string') out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((item, index) => collectStrings(item, [...path, String(index)], out));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) collectStrings(item, [...path, key], out);
  }
  return out;
}

/** Expression bodies in a value; an `if:` value without `${{` is itself an expression. */
export function expressionsOf(path: string[], value: string): string[] {
  const isIf = path[path.length - 1] === 'if';
  if (isIf && !value.includes('${{')) return [value];
  return extractExpressions(value);
}
