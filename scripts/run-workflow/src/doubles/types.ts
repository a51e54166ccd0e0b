import type { JobContext } from '../job-context.js';

/** What a double gets: the step's `with:` and the job it runs in. */
export interface DoubleStep {
  uses: string;
  /** The `with:` values, as strings, and the names given. */
  with: Record<string, string>;
  job: JobContext;
  /** The step's env (runner variables, env context, step env). */
  env: Record<string, string>;
  setOutput(name: string, value: string): void;
  exportVariable(name: string, value: string): void;
  addPath(dir: string): void;
  setSecret(value: string): void;
  summary(markdown: string): void;
  info(line: string): void;
  warning(message: string): void;
}

/** A local stand-in of a third-party action: one file each in doubles/, listed in doubles/index.ts. */
export interface ActionDouble {
  /** `owner/repo` (or `owner/repo/path`) as written before `@` in `uses:`. */
  action: string;
  /** One line for the README's table: what it does here. */
  description: string;
  run(step: DoubleStep): Promise<void>;
}

/** Fails the step with one `::error::` line. */
export class StepFailure extends Error {}
