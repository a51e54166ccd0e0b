// The demo's readable transcript: sections, steps with ✓/✗, indented detail blocks. Also kept as plain text.

export type StepOutcome = 'pass' | 'fail' | 'skip';

export interface StepRecord {
  name: string;
  outcome: StepOutcome;
  /** One line: what happened, or why it failed / was skipped. */
  note: string;
  durationMs?: number;
}

export interface TranscriptOptions {
  /** Where each finished line goes as it is written (the terminal); the text is kept either way. */
  write?: (line: string) => void;
  color?: boolean;
}

const ANSI = { green: '\x1b[32m', red: '\x1b[31m', dim: '\x1b[2m', bold: '\x1b[1m', yellow: '\x1b[33m', reset: '\x1b[0m' };
// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;]*m/g;

export class Transcript {
  readonly steps: StepRecord[] = [];
  private readonly lines: string[] = [];
  /** Lines as written, colour included (what `append` replays). */
  private readonly raw: string[] = [];
  private readonly color: boolean;
  private readonly sink?: (line: string) => void;

  constructor(options: TranscriptOptions = {}) {
    this.color = options.color ?? false;
    this.sink = options.write;
  }

  /** A transcript that keeps its lines until `append`ed here: for a part of the demo that runs concurrently. */
  fork(): Transcript {
    return new Transcript({ color: this.color });
  }

  /** Writes a fork's lines and records its steps, in order. */
  append(fork: Transcript): void {
    this.steps.push(...fork.steps);
    for (const l of fork.raw) {
      this.lines.push(l.replace(ANSI_RE, ''));
      this.sink?.(this.color ? l : l.replace(ANSI_RE, ''));
    }
  }

  /** The transcript so far, without colour codes. */
  text(): string {
    return this.lines.join('\n');
  }

  line(text = ''): void {
    for (const l of text.split('\n')) {
      this.raw.push(l);
      this.lines.push(l.replace(ANSI_RE, ''));
      this.sink?.(this.color ? l : l.replace(ANSI_RE, ''));
    }
  }

  paint(text: string, style: keyof typeof ANSI): string {
    return this.color ? `${ANSI[style]}${text}${ANSI.reset}` : text;
  }

  section(title: string, subtitle?: string): void {
    this.line();
    this.line(this.paint(`━━ ${title} `.padEnd(100, '━'), 'bold'));
    if (subtitle) this.line(this.paint(`   ${subtitle}`, 'dim'));
  }

  job(name: string, detail?: string): void {
    this.line();
    this.line(`  ${this.paint(`job ${name}`, 'bold')}${detail ? this.paint(`  ${detail}`, 'dim') : ''}`);
  }

  /** Records a step and prints its ✓/✗/– line. */
  step(record: StepRecord): void {
    this.steps.push(record);
    const mark =
      record.outcome === 'pass' ? this.paint('✓', 'green') : record.outcome === 'fail' ? this.paint('✗', 'red') : this.paint('–', 'yellow');
    const time = record.durationMs === undefined ? '' : this.paint(` (${formatMs(record.durationMs)})`, 'dim');
    this.line(`    ${mark} ${record.name}${time}`);
    if (record.note) this.line(`        ${record.outcome === 'fail' ? this.paint(record.note, 'red') : record.note}`);
  }

  /** `key = value` lines, indented under the step. */
  values(entries: [string, string][], indent = 8): void {
    const width = Math.min(24, Math.max(0, ...entries.map(([k]) => k.length)));
    for (const [key, value] of entries) {
      const shown = value === '' ? this.paint('(empty)', 'dim') : value;
      this.line(`${' '.repeat(indent)}${this.paint(key.padEnd(width), 'dim')} = ${shown}`);
    }
  }

  /** A titled block of text (markdown, a message), indented and framed. */
  block(title: string, body: string, indent = 8): void {
    const pad = ' '.repeat(indent);
    this.line(`${pad}${this.paint(`┌─ ${title}`, 'dim')}`);
    for (const l of body.replace(/\s+$/, '').split('\n')) this.line(`${pad}${this.paint('│', 'dim')} ${l}`);
    this.line(`${pad}${this.paint('└─', 'dim')}`);
  }

  counts(): { pass: number; fail: number; skip: number } {
    return {
      pass: this.steps.filter((s) => s.outcome === 'pass').length,
      fail: this.steps.filter((s) => s.outcome === 'fail').length,
      skip: this.steps.filter((s) => s.outcome === 'skip').length,
    };
  }
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
