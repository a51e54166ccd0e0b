import * as core from '@actions/core';

/** Escapes text for a markdown table cell. */
export function cell(value: unknown): string {
  return String(value ?? '')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

export function markdownTable(header: string[], rows: unknown[][]): string {
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** Appends markdown to the job summary; a missing GITHUB_STEP_SUMMARY only warns. */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set; the job summary was not written.');
    return;
  }
  await core.summary.addRaw(markdown.endsWith('\n') ? markdown : `${markdown}\n`).write();
}
