// ci-deploy-dev.yml -> promote-qa.yml -> promote-prod.yml as GitHub would run them, the version passed from one run to
// the next (issue 13), with the stage gates and rollbacks of issue 14 points 4 and 5: a build whose dev smoke test
// fails never reaches QA, production refuses a version that skipped QA, a rollback names the right previous version,
// and a failed production smoke test prints the rollback command.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { motoAvailable } from '../../../packages/testing/src/s3-server.js';
import { startLocalServices, type LocalServices, type RunResult } from '../src/index.js';
import { makeRepo, readable, removeRepos, results, run, RUN_TIMEOUT, workflowFile } from './helpers.js';

const maybe = motoAvailable() ? describe : describe.skip;
if (!motoAvailable()) console.warn('SKIPPED: the scenarios need moto (python3 -m pip install "moto[server]")');

const WORKFLOWS = ['ci-deploy-dev', 'promote-qa', 'promote-prod'];

maybe('ci-deploy-dev.yml, promote-qa.yml, promote-prod.yml', () => {
  let services: LocalServices;
  beforeAll(async () => {
    services = await startLocalServices();
    // The repository's workflows as the GitHub API knows them, for dispatch-workflow.
    for (const name of WORKFLOWS)
      services.github.workflows.addWorkflow('octo-org/pipeline-demo', `${name}.yml`, readFileSync(workflowFile(name), 'utf8'));
  }, RUN_TIMEOUT);
  afterAll(async () => {
    await services?.stop();
    removeRepos();
  });

  /** A repository whose build says `content` (its smoke test fails in a stage named in it: broken-in-<stage>). */
  function repoWith(content: string): string {
    const repo = makeRepo('promotion', WORKFLOWS);
    writeFileSync(join(repo, 'src', 'app.txt'), `${content}\n`);
    return repo;
  }
  const deployed = async (stage: string) =>
    (
      await (
        await services.s3Client.send(new GetObjectCommand({ Bucket: 'artifacts', Key: `deployed/${stage}.txt` }))
      ).Body!.transformToString()
    ).trim();
  /** The payload of the newest deployment promote-artifact recorded for a stage (its history, rollbacks included). */
  const newestDeployment = (stage: string) => services.github.deployments.list('octo-org/pipeline-demo', stage)[0]?.payload;
  const tags = async () => (await services.snapshot()).github.tags.map((t) => t.name);
  const hasTag = async (stage: string, version: string) =>
    (await tags()).some((tag) => tag.startsWith(`${stage}-`) && tag.endsWith(version));

  async function build(content: string, inputs?: Record<string, string>): Promise<{ run: RunResult; version: string; repo: string }> {
    const repo = repoWith(content);
    const result = await run(services, 'ci-deploy-dev', repo, inputs ? { inputs } : { event: 'push', ref: 'refs/heads/main' });
    return { run: result, version: result.jobs.publish.outputs.version ?? '', repo };
  }
  const promoteQa = (repo: string, version: string) => run(services, 'promote-qa', repo, { inputs: { artifact_version: version } });
  const promoteProd = (repo: string, inputs: Record<string, string>, approved = true) =>
    run(services, 'promote-prod', repo, { inputs, protect: ['production'], approve: approved ? ['production'] : [] });

  let v1: { version: string; repo: string };
  test(
    'a push to main builds, publishes, deploys dev, smoke-tests it, and only then marks it dev',
    async () => {
      const built = await build('release one');
      expect(results(built.run)).toEqual({
        test: 'success',
        build: 'success',
        publish: 'success',
        deploy: 'success',
        'mark-dev': 'success',
        'promote-qa': 'skipped',
        notify: 'success',
      });
      expect(built.version).toMatch(/^[0-9a-f]{7}-\d{8}-\d{6}$/);
      expect(await hasTag('build', built.version)).toBe(true);
      expect(await hasTag('dev', built.version)).toBe(true);
      expect(await deployed('dev')).toBe(`${built.version} release one`);
      expect(newestDeployment('dev')).toMatchObject({ version: built.version });
      v1 = built;
    },
    RUN_TIMEOUT,
  );

  test(
    'the version goes on to QA and, approved, to production with its Release',
    async () => {
      const qa = await promoteQa(v1.repo, v1.version);
      expect(results(qa)).toEqual({ deploy: 'success', 'mark-qa': 'success', 'request-production': 'skipped', notify: 'success' });
      expect(await hasTag('qa', v1.version)).toBe(true);
      expect(await deployed('qa')).toBe(`${v1.version} release one`);

      const prod = await promoteProd(v1.repo, { artifact_version: v1.version });
      expect(results(prod)).toEqual({ deploy: 'success', record: 'success', notify: 'success' });
      expect(await hasTag('prod', v1.version)).toBe(true);
      expect(prod.jobs.record.outputs['release-url']).toBeTruthy();
      expect(await deployed('production')).toBe(`${v1.version} release one`);
    },
    RUN_TIMEOUT,
  );

  test(
    'a build whose dev smoke test fails is not marked dev and cannot be promoted to QA',
    async () => {
      const broken = await build('broken-in-dev');
      expect(broken.run.jobs.deploy.result).toBe('failure');
      expect(broken.run.jobs['mark-dev'].result).toBe('skipped');
      expect(await hasTag('build', broken.version)).toBe(true);
      expect(await hasTag('dev', broken.version)).toBe(false);
      const qa = await promoteQa(broken.repo, broken.version);
      expect(qa.jobs.deploy.result).toBe('failure');
      expect(qa.jobs['mark-qa'].result).toBe('skipped');
      expect(readable(qa, 'deploy')).toMatch(/dev/);
      expect(await deployed('qa')).toBe(`${v1.version} release one`);
    },
    RUN_TIMEOUT,
  );

  let v2: { version: string; repo: string; run: RunResult };
  test(
    'production refuses a version that skipped QA',
    async () => {
      v2 = await build('release two');
      expect(v2.run.conclusion).toBe('success');
      const prod = await promoteProd(v2.repo, { artifact_version: v2.version });
      expect(prod.jobs.deploy.result).toBe('failure');
      expect(prod.jobs.record.result).toBe('skipped');
      expect(readable(prod, 'deploy')).toMatch(/qa/i);
      expect(await deployed('production')).toBe(`${v1.version} release one`);
    },
    RUN_TIMEOUT,
  );

  test(
    'after v1 then v2 in production, a rollback with skip_tests installs v1 and the next promotion names v1 as what production held',
    async () => {
      expect((await promoteQa(v2.repo, v2.version)).conclusion).toBe('success');
      const second = await promoteProd(v2.repo, { artifact_version: v2.version });
      expect(second.conclusion).toBe('success');
      expect(second.jobs.deploy.outputs['current-version']).toBe(v1.version);

      const rollback = await promoteProd(v2.repo, { rollback: 'true', skip_tests: 'true' });
      expect(results(rollback)).toEqual({ deploy: 'success', record: 'success', notify: 'success' });
      expect(rollback.jobs.deploy.outputs.version).toBe(v1.version);
      expect(newestDeployment('prod')).toMatchObject({ version: v1.version, rollback: true });
      expect(await deployed('production')).toBe(`${v1.version} release one`);

      const v3 = await build('release three');
      expect((await promoteQa(v3.repo, v3.version)).conclusion).toBe('success');
      const third = await promoteProd(v3.repo, { artifact_version: v3.version });
      expect(third.conclusion).toBe('success');
      expect(third.jobs.deploy.outputs['current-version']).toBe(v1.version);
      expect(readable(third, 'deploy')).toContain(`rollback target) | ${v1.version}`);
    },
    RUN_TIMEOUT * 2,
  );

  test(
    'skip_tests without rollback is refused before anything is deployed',
    async () => {
      const prod = await promoteProd(v2.repo, { artifact_version: v2.version, skip_tests: 'true' });
      expect(prod.jobs.deploy.result).toBe('failure');
      expect(readable(prod, 'deploy')).toContain('skip_tests is for rollbacks only');
    },
    RUN_TIMEOUT,
  );

  test(
    'a failed production smoke test prints the command that rolls back to what production held',
    async () => {
      const held = (await deployed('production')).split(' ')[0];
      const bad = await build('broken-in-production');
      expect((await promoteQa(bad.repo, bad.version)).conclusion).toBe('success');
      const prod = await promoteProd(bad.repo, { artifact_version: bad.version });
      expect(prod.jobs.deploy.result).toBe('failure');
      expect(prod.jobs.record.result).toBe('skipped');
      expect(readable(prod, 'deploy')).toContain(
        `gh workflow run promote-prod.yml -f rollback=true -f artifact_version=${held} -f skip_tests=true`,
      );
      expect(await hasTag('prod', bad.version)).toBe(false);
    },
    RUN_TIMEOUT,
  );

  test(
    'auto_promote dispatches promote-qa.yml with the version once dev passed',
    async () => {
      const built = await build('release four', { auto_promote: 'true' });
      expect(built.run.jobs['promote-qa'].result).toBe('success');
      expect(built.run.jobs['promote-qa'].outputs['run-url']).toMatch(/\/actions\/runs\/\d+/);
      const dispatched = services.github.workflows.dispatches.at(-1);
      expect(dispatched).toMatchObject({ status: 200, body: { inputs: { artifact_version: built.version } } });
    },
    RUN_TIMEOUT,
  );
});
