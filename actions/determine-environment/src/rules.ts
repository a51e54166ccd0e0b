import { decidingPattern, globMatcher, globProblem, type Matcher } from './glob.js';

/** One `KEY => ENVIRONMENT` line of `schedules`, `branches` or `tags`. */
export interface Rule {
  /** The left side as written (a cron or a glob). */
  pattern: string;
  environment: string;
  line: number;
}

/** A line of `branches` or `tags`: `GLOB => ENVIRONMENT`, or `!GLOB` that excludes what earlier lines matched. */
export interface GlobRule extends Rule {
  negated: boolean;
  matches: Matcher;
}

export interface RawLine {
  text: string;
  line: number;
}

/** Non-blank, non-comment lines with their 1-based numbers. */
export function meaningfulLines(value: string): RawLine[] {
  return value
    .split(/\r?\n/)
    .map((text, i) => ({ text: text.trim(), line: i + 1 }))
    .filter((l) => l.text !== '' && !l.text.startsWith('#'));
}

/**
 * Parses `branches` or `tags`. `checkTarget` validates the environment; every problem goes to `fail`.
 * A leading `refs/heads/` (`refs/tags/`) is dropped, as the rules match the ref name.
 */
export function parseGlobRules(
  value: string,
  prefix: string,
  fail: (problem: string) => void,
  checkTarget: (environment: string, where: string) => void,
): GlobRule[] {
  const rules: GlobRule[] = [];
  for (const { text, line } of meaningfulLines(value)) {
    const negated = text.startsWith('!');
    const at = text.indexOf('=>');
    if (negated && at >= 0) {
      fail(`line ${line} '${text}' is a negation with an environment: expected '!GLOB' alone (it excludes refs the lines above matched).`);
      continue;
    }
    if (!negated && at <= 0) {
      fail(`line ${line} '${text}' has no '=>': expected one 'GLOB => ENVIRONMENT' or '!GLOB' a line.`);
      continue;
    }
    const key = negated ? text.slice(1).trim() : text.slice(0, at).trim();
    const environment = negated ? '' : text.slice(at + 2).trim();
    const where = `line ${line} '${key} => ${environment}': `;
    if (!negated) {
      if (environment === '') {
        fail(`${where}has no environment after '=>': expected GLOB => ENVIRONMENT.`);
      } else {
        checkTarget(environment, where);
      }
    }
    const pattern = key.startsWith(prefix) ? key.slice(prefix.length) : key;
    if (/\s/.test(pattern) || pattern === '') {
      fail(`line ${line} glob '${key}' is not a ref glob: expected a name without spaces, with '*' and '**' wildcards.`);
      continue;
    }
    const problem = globProblem(pattern);
    if (problem) {
      fail(
        `line ${line} glob '${key}' is not a valid pattern (${problem}): expected GitHub's filter patterns ('*', '**', '?', '+', '[]').`,
      );
      continue;
    }
    const twin = rules.find((r) => r.pattern === pattern && r.negated === negated);
    if (twin) {
      fail(`line ${line} maps glob '${pattern}' again (first on line ${twin.line}): expected each glob once.`);
      continue;
    }
    rules.push({ pattern, environment, line, negated, matches: globMatcher(pattern) });
  }
  return rules;
}

/** The rule that decides a ref name under GitHub's order rule, or undefined (no match, or excluded by a `!` line). */
export function matchingRule(rules: readonly GlobRule[], name: string): GlobRule | undefined {
  const index = decidingPattern(rules, name);
  return index >= 0 ? rules[index] : undefined;
}
