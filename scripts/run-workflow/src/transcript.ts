// The run's log: per-job blocks of per-step lines, as GitHub's log shows them, with every secret masked.

export class Masker {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (!value) return;
    const v = value.trim();
    // The runner masks each line of a multi-line secret too.
    if (v.length >= 1) this.values.add(v);
    if (v.includes('\n')) for (const line of v.split(/\r?\n/)) if (line.trim().length > 2) this.values.add(line.trim());
  }

  mask(text: string): string {
    let out = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(value).join('***');
    return out;
  }
}

/** Lines of one job, kept together so parallel jobs read as blocks. */
export class JobLog {
  readonly lines: string[] = [];
  constructor(
    private readonly masker: Masker,
    private readonly live?: (line: string) => void,
  ) {}

  line(text: string): void {
    for (const l of this.masker.mask(text).split(/\r?\n/)) {
      this.lines.push(l);
      this.live?.(l);
    }
  }
}

export function indent(text: string, prefix = '    '): string {
  return text
    .replace(/\n+$/, '')
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}
