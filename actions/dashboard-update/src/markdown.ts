/**
 * Keeping user output from breaking the dashboard's markdown. Outputs are escaped reversibly (a zero-width
 * space after `<` before `!`, `details`, `pre`, `script`, `style` and `textarea`, the HTML that could
 * swallow or end the rest of the comment), so the only construct an output can leave open is a code
 * fence, and a cut output gets the closing fence it needs.
 */

const ZWSP = '\u200B';
const RISKY = /<(\u200B*)(?=!|\/?(?:details|pre|script|style|textarea)\b)/gi;
const ESCAPED = /<\u200B(\u200B*)(?=!|\/?(?:details|pre|script|style|textarea)\b)/gi;

export function escapeOutput(text: string): string {
  return text.replace(RISKY, `<${ZWSP}$1`);
}

export function unescapeOutput(text: string): string {
  return text.replace(ESCAPED, '<$1');
}

const OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The fence a line opens, or undefined (a backtick fence's info string has no backtick). */
export function openingFence(line: string): string | undefined {
  const m = OPEN.exec(line);
  if (!m) return undefined;
  if (m[1][0] === '`' && m[2].includes('`')) return undefined;
  return m[1];
}

/** True when the line closes a fence opened by `fence`: same character, at least as long, nothing after. */
export function closesFence(line: string, fence: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
  return m !== null && m[1][0] === fence[0] && m[1].length >= fence.length;
}

/** The fence left open at the end of the text, or undefined. */
export function openFenceAtEnd(text: string, start: string | undefined = undefined): string | undefined {
  let fence = start;
  for (const line of text.split('\n')) {
    const plain = line.replace(/\r$/, '');
    if (fence) {
      if (closesFence(plain, fence)) fence = undefined;
    } else {
      fence = openingFence(plain);
    }
  }
  return fence;
}

/** What to append to the text so no fence stays open (empty when none is). */
export function fenceCloser(fence: string | undefined, text: string): string {
  if (!fence) return '';
  return `${text.endsWith('\n') ? '' : '\n'}${fence}`;
}

/**
 * Cuts one text at many positions cheaply: the fence state at every line start is computed once,
 * so each cut costs one line. `cut(n)` keeps the first n characters (never half a surrogate pair)
 * and says which closing fence the kept text needs.
 */
export class OutputCutter {
  private readonly starts: number[] = [];
  private readonly states: (string | undefined)[] = [];

  constructor(readonly text: string) {
    let fence: string | undefined;
    let at = 0;
    for (const line of text.split('\n')) {
      this.starts.push(at);
      this.states.push(fence);
      const plain = line.replace(/\r$/, '');
      if (fence) {
        if (closesFence(plain, fence)) fence = undefined;
      } else {
        fence = openingFence(plain);
      }
      at += line.length + 1;
    }
  }

  cut(n: number): { kept: string; closer: string } {
    let end = Math.max(0, Math.min(n, this.text.length));
    if (end > 0 && end < this.text.length && /[\uD800-\uDBFF]/.test(this.text[end - 1])) end--;
    // Never inside an escape (`<` and its zero-width spaces), so the kept text unescapes to a prefix of the output.
    if (end < this.text.length) end -= /<\u200B+[!/A-Za-z]*$/.exec(this.text.slice(Math.max(0, end - 24), end))?.[0].length ?? 0;
    const kept = this.text.slice(0, end);
    // The last line that starts before the cut.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= end) lo = mid;
      else hi = mid - 1;
    }
    const fence = openFenceAtEnd(kept.slice(this.starts[lo]), this.states[lo]);
    return { kept, closer: fenceCloser(fence, kept) };
  }
}
