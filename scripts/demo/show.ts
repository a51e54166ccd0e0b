// How a workflow run reads in the demo: its run-workflow transcript, then what a user looks at afterwards.
import type { LocalServices, RunResult } from '../run-workflow/src/index.js';
import { renderSlackMessage } from './render-slack.js';
import type { Transcript } from './transcript.js';

export interface RunView {
  title: string;
  subtitle: string;
}

/** The run's transcript (steps, outputs, annotations, summaries), indented under a section. */
export function showRun(t: Transcript, view: RunView, run: RunResult, verbose: boolean): void {
  t.section(view.title, view.subtitle);
  const lines = verbose ? run.transcript : run.transcript.filter((l) => !/^\s{6}(?!##\[|summary:|│|outputs:)/.test(l));
  for (const line of lines) t.line(`  ${line}`);
}

/** Slack messages the run posted, rendered as text. */
export function showSlack(t: Transcript, services: LocalServices, since: number): void {
  for (const message of services.slack.messages.slice(since)) {
    t.block(`Slack message in ${message.channel}, as text`, renderSlackMessage(message), 4);
  }
}

/** One check of what the demo expects, as its own ✓/✗ line. */
export function check(t: Transcript, name: string, ok: boolean, detail: string): boolean {
  t.step({ name, outcome: ok ? 'pass' : 'fail', note: detail });
  return ok;
}
