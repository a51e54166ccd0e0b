import { spawn, spawnSync } from 'node:child_process';

export interface CommandRun {
  wallMs: number;
  /** User + system CPU of the command and its children (10 ms resolution): steadier than wall time on a busy machine. */
  cpuMs: number;
  peakRssMb: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command under GNU time to get its wall time and peak resident memory (children included). */
export function measureCommand(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '__PEAK_KB__%M %U %S', command, ...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    if (options.input !== undefined) {
      // A child that exits before reading its input must not crash the benchmark with EPIPE.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const match = /__PEAK_KB__(\d+) ([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({
        wallMs,
        peakRssMb: match ? Number(match[1]) / 1024 : NaN,
        cpuMs: match ? (Number(match[2]) + Number(match[3])) * 1000 : NaN,
        exitCode,
        stdout,
        stderr: stderr.replace(/__PEAK_KB__[\d. ]+\n?/, ''),
      });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One row of the benchmark table: ours beside the tool a user would otherwise use, measured in the same run. */
export interface BenchRow {
  benchmark: string;
  ours: string;
  oursMedianMs: number;
  baseline: string;
  baselineMedianMs: number;
  /** baseline / ours for times (higher is better for us) unless `ratioNote` says otherwise. */
  ratio: number;
  peakRssMb: number;
  goal: string;
  met: boolean;
  note?: string;
}

export type Benchmark = () => Promise<BenchRow[]>;

export function formatRows(rows: BenchRow[]): string {
  const header = '| benchmark | ours (median) | baseline (median) | ratio | peak RSS | goal | met |\n|---|---|---|---|---|---|---|';
  const lines = rows.map(
    (r) =>
      `| ${r.benchmark} | ${r.ours}: ${r.oursMedianMs.toFixed(1)} ms | ${r.baseline}: ${r.baselineMedianMs.toFixed(1)} ms | ${r.ratio.toFixed(2)} | ${r.peakRssMb.toFixed(1)} MB | ${r.goal} | ${r.met ? 'yes' : 'NO'}${r.note ? ` (${r.note})` : ''} |`,
  );
  return [header, ...lines].join('\n');
}

/** A baseline tool that is not on this machine: the runner skips the benchmark's rows and says how to install it. */
export class MissingToolError extends Error {
  constructor(
    readonly tool: string,
    readonly install: string,
  ) {
    super(`${tool} is not installed (${install})`);
    this.name = 'MissingToolError';
  }
}

/** The first candidate path or command that answers `--version`; throws MissingToolError when none does. */
export function requireTool(candidates: string[], install: string): string {
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new MissingToolError(candidates[candidates.length - 1], install);
}
