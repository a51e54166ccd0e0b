// The glob subset workflows use (`*`, `**`, `?`, `!` excludes), for upload-artifact paths and hashFiles().
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** Files matched by pattern lines relative to `base` (`!` excludes), with the path each keeps below its pattern's root. */
export function matchFiles(base: string, patterns: string[]): { file: string; name: string }[] {
  const lines = patterns.map((l) => l.trim()).filter(Boolean);
  const exclude = lines.filter((l) => l.startsWith('!')).map((l) => globToRegExp(resolve(base, l.slice(1))));
  const found = new Map<string, string>();
  for (const line of lines.filter((l) => !l.startsWith('!'))) {
    const absolute = resolve(base, line);
    if (!/[*?]/.test(line)) {
      if (!existsSync(absolute)) continue;
      if (statSync(absolute).isDirectory()) for (const f of walk(absolute)) found.set(f, relative(absolute, f));
      else found.set(absolute, relative(resolve(absolute, '..'), absolute));
      continue;
    }
    const root = absolute.slice(0, absolute.search(/[*?]/)).replace(/[^/]*$/, '') || '/';
    const re = globToRegExp(absolute);
    if (existsSync(root)) for (const f of walk(root)) if (re.test(f)) found.set(f, relative(root, f));
  }
  return [...found].filter(([file]) => !exclude.some((re) => re.test(file))).map(([file, name]) => ({ file, name }));
}
