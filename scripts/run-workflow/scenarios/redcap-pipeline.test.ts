// workflows/redcap-pipeline.yml as GitHub would run it: both crons (issue 14 point 1), the unmapped cron, manual runs,
// the allowlist refusal before any tunnel, a dry run, and an explicit batch size of 0 (point 8).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { motoAvailable } from '../../../packages/testing/src/s3-server.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWorkflow, startLocalServices, type LocalServices, type RunResult } from '../src/index.js';
import { makeRepo, readable, removeRepos, results, run, RUN_TIMEOUT } from './helpers.js';

const maybe = motoAvailable() ? describe : describe.skip;
if (!motoAvailable()) console.warn('SKIPPED: the scenarios need moto (python3 -m pip install "moto[server]")');

const REVIEWER_GATED = ['production', 'ingestion-production', 'infra-apply'];

maybe('redcap-pipeline.yml', () => {
  let services: LocalServices;
  let repo: string;
  beforeAll(async () => {
    services = await startLocalServices({ ssh: true });
    repo = makeRepo('redcap', ['redcap-pipeline']);
  }, RUN_TIMEOUT);
  afterAll(async () => {
    await services?.stop();
    removeRepos();
  });

  const rows = async () => (await services.snapshot()).postgres?.redcap_records ?? 0;
  const exports = async (environment: string) =>
    ((await services.snapshot()).s3['redcap-exports'] ?? []).filter((key) => key.startsWith(`redcap-pipeline/${environment}/`));
  const slackSince = (before: number) =>
    services.slack.messages.slice(before).map((m) => `${m.text ?? ''} ${JSON.stringify(m.blocks ?? '')}`);

  async function scheduled(cron: string): Promise<{ run: RunResult; added: number; slack: string[] }> {
    const before = { rows: await rows(), slack: services.slack.messages.length };
    // The reviewer-gated environments of the other workflows are protected: the unattended run needs none of them.
    const result = await run(services, 'redcap-pipeline', repo, { event: 'schedule', cron, protect: REVIEWER_GATED });
    return { run: result, added: (await rows()) - before.rows, slack: slackSince(before.slack) };
  }

  test(
    'the 02:00 schedule loads production, all projects, 50 records each, exports to S3 and reports success',
    async () => {
      const { run: result, added, slack } = await scheduled('0 2 * * *');
      expect(results(result)).toEqual({ prepare: 'success', pipeline: 'success', notify: 'success' });
      expect(result.jobs.prepare.outputs).toMatchObject({ environment: 'production', project: '', 'batch-size': '50', 'dry-run': 'false' });
      expect(result.transcript.join('\n')).toContain('environment: redcap-production');
      expect(added).toBe(5 * 50);
      expect(await exports('production')).toEqual(
        expect.arrayContaining([expect.stringMatching(/\/output\/gap\.csv$/), expect.stringMatching(/\/logs\/pipeline\.log$/)]),
      );
      expect(slack).toHaveLength(1);
      expect(slack[0]).toContain('production');
      expect(slack[0]).not.toContain('<!channel>');
    },
    RUN_TIMEOUT,
  );

  test(
    'the six-hourly schedule loads QA, all projects',
    async () => {
      const { run: result, added } = await scheduled('0 */6 * * *');
      expect(result.conclusion).toBe('success');
      expect(result.jobs.prepare.outputs.environment).toBe('qa');
      expect(result.jobs.pipeline.name ?? '').toContain('qa');
      expect(added).toBe(5 * 50);
      expect((await exports('qa')).length).toBeGreaterThan(0);
    },
    RUN_TIMEOUT,
  );

  test(
    'a cron added to on.schedule but not to the mapping fails closed before the pipeline, and Slack gets the failure',
    async () => {
      // The edit the original suffered from: a new cron in one place only.
      const edited = makeRepo('redcap', ['redcap-pipeline']);
      const file = join(edited, '.github', 'workflows', 'redcap-pipeline.yml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace("    - cron: '0 */6 * * *' # qa\n", "    - cron: '0 */6 * * *' # qa\n    - cron: '0 3 * * *'\n"),
      );
      const before = { rows: await rows(), slack: services.slack.messages.length };
      const result = await runWorkflow({ workflow: file, services, repo: edited, event: 'schedule', cron: '0 3 * * *' });
      const added = (await rows()) - before.rows;
      const slack = slackSince(before.slack);
      expect(results(result)).toEqual({ prepare: 'failure', pipeline: 'skipped', notify: 'success' });
      expect(readable(result, 'prepare')).toContain('0 3 * * *');
      expect(added).toBe(0);
      expect(slack).toHaveLength(1);
      expect(slack[0]).toMatch(/fail/i);
    },
    RUN_TIMEOUT,
  );

  test(
    'a manual run for gap with batch_size 50 loads that project only',
    async () => {
      const before = await rows();
      const result = await run(services, 'redcap-pipeline', repo, { inputs: { environment: 'qa', project: 'gap', batch_size: '50' } });
      expect(result.conclusion).toBe('success');
      expect(result.jobs.prepare.outputs).toMatchObject({ environment: 'qa', project: 'gap', 'batch-size': '50' });
      expect((await rows()) - before).toBe(50);
    },
    RUN_TIMEOUT,
  );

  test(
    'a project outside the allowlist is refused before any tunnel opens',
    async () => {
      const before = await rows();
      const result = await run(services, 'redcap-pipeline', repo, { inputs: { environment: 'production', project: 'not_a_project' } });
      expect(results(result)).toEqual({ prepare: 'failure', pipeline: 'skipped', notify: 'success' });
      expect(readable(result, 'prepare')).toContain('not_a_project');
      expect(result.jobs.pipeline.steps).toEqual([]);
      expect(await rows()).toBe(before);
    },
    RUN_TIMEOUT,
  );

  test(
    'a dry run writes nothing to the database or S3',
    async () => {
      const before = { rows: await rows(), exports: (await exports('qa')).length };
      const result = await run(services, 'redcap-pipeline', repo, { inputs: { environment: 'qa', dry_run: 'true' } });
      expect(result.conclusion).toBe('success');
      expect(result.jobs.prepare.outputs['dry-run']).toBe('true');
      expect(await rows()).toBe(before.rows);
      expect((await exports('qa')).length).toBe(before.exports);
    },
    RUN_TIMEOUT,
  );

  test(
    'an explicit batch_size 0 is refused, not replaced by 50',
    async () => {
      const result = await run(services, 'redcap-pipeline', repo, { inputs: { environment: 'qa', batch_size: '0' } });
      expect(results(result)).toEqual({ prepare: 'failure', pipeline: 'skipped', notify: 'success' });
      expect(result.jobs.prepare.outputs['batch-size']).toBe('0');
      expect(readable(result, 'prepare')).toMatch(/batch-size/);
    },
    RUN_TIMEOUT,
  );
});
