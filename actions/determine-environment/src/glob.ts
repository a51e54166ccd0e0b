import picomatch from 'picomatch';

/**
 * GitHub's filter patterns (`on.push.branches`, `tags`), matched by picomatch.
 * GitHub's cheat sheet differs from shell globs in three places, translated here before picomatch sees the pattern:
 * - `?` and `+` quantify the preceding character or `[]` class (zero-or-one, one-or-more): `v[12].[0-9]+`;
 * - `**` inside a segment crosses `/` (`**.js` matches `js/index.js`);
 * - a trailing `/**` needs at least one more segment (`feature/**` does not match `feature`).
 * `*` stays within a segment, `[]` is a class or range, `\` escapes, `{a,b}` alternatives come from picomatch.
 * A leading `!` (negation) is handled by the rule list, in order, as GitHub does.
 */
export function toPicomatch(pattern: string): string {
  let out = '';
  /** Where the last quantifiable atom (one character, an escape or a class) starts in `out`. */
  let atom = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      atom = out.length;
      out += c + pattern[++i];
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        atom = out.length;
        out += '\\[';
        continue;
      }
      atom = out.length;
      out += pattern.slice(i, end + 1);
      i = end;
    } else if (c === '?' || c === '+') {
      if (atom < 0) {
        out += `\\${c}`;
        continue;
      }
      out = `${out.slice(0, atom)}${c}(${out.slice(atom)})`;
      atom = -1;
    } else if (c === '*') {
      let stars = 1;
      while (pattern[i + 1] === '*') {
        stars++;
        i++;
      }
      atom = -1;
      if (stars === 1) {
        out += '*';
        continue;
      }
      const segmentStart = i - stars + 1 === 0 || pattern[i - stars] === '/';
      const segmentEnd = i + 1 === pattern.length || pattern[i + 1] === '/';
      if (segmentStart && segmentEnd) out += i + 1 === pattern.length && i - stars + 1 > 0 ? '**/*' : '**';
      else out += '*{,/**/*}';
    } else if ('()|@!'.includes(c)) {
      // Extglob syntax in picomatch, plain characters in GitHub's patterns.
      atom = out.length;
      out += `\\${c}`;
    } else {
      atom = out.length;
      out += c;
    }
  }
  return out;
}

export type Matcher = (name: string) => boolean;

/** A matcher for one GitHub filter pattern (without its leading `!`). */
export function globMatcher(pattern: string): Matcher {
  return picomatch(toPicomatch(pattern), { dot: true, nonegate: true, strictBrackets: true });
}

/** The problem with a pattern picomatch cannot compile, or undefined. */
export function globProblem(pattern: string): string | undefined {
  try {
    picomatch.makeRe(toPicomatch(pattern), { dot: true, nonegate: true, strictBrackets: true });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

/** One pattern of an ordered list; `negated` for a `!pattern`. */
export interface OrderedPattern {
  negated: boolean;
  matches: Matcher;
}

/**
 * GitHub's order rule: a name is included by a matching positive pattern and excluded again by a later
 * matching `!` pattern, and a later positive match includes it again. Returns the index of the positive
 * pattern that decided, or -1. The first positive match wins until a negation clears it.
 */
export function decidingPattern(patterns: readonly OrderedPattern[], name: string): number {
  let chosen = -1;
  patterns.forEach((p, i) => {
    if (!p.negated) {
      if (chosen < 0 && p.matches(name)) chosen = i;
    } else if (chosen >= 0 && p.matches(name)) {
      chosen = -1;
    }
  });
  return chosen;
}
