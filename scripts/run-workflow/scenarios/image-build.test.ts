// workflows/image-build.yml (seed 004, LabLink) row by row: which Dockerfile, which tags, whether the tests run, and the
// production row's requirements (both versions, a run from main), refused with a clear error otherwise.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { motoAvailable } from '../../../packages/testing/src/s3-server.js';
import { startLocalServices, type LocalServices, type RunResult } from '../src/index.js';
import { FIXTURES, makeRepo, readable, removeRepos, results, run, RUN_TIMEOUT } from './helpers.js';

const maybe = motoAvailable() ? describe : describe.skip;
if (!motoAvailable()) console.warn('SKIPPED: the scenarios need moto (python3 -m pip install "moto[server]")');

const IMAGES = ['lablink-allocator-image', 'lablink-client-base-image'];

maybe('image-build.yml', () => {
  let services: LocalServices;
  let repo: string;
  let logDir: string;
  const saved = { path: process.env.PATH, log: process.env.DOCKER_DOUBLE_LOG };
  beforeAll(async () => {
    services = await startLocalServices();
    repo = makeRepo('image-build', ['image-build']);
    // The verify jobs' docker pull/run go to a double that logs its arguments.
    logDir = mkdtempSync(join(tmpdir(), 'docker-double-'));
    process.env.PATH = `${join(FIXTURES, 'bin')}:${process.env.PATH}`;
  }, RUN_TIMEOUT);
  afterAll(async () => {
    process.env.PATH = saved.path;
    process.env.DOCKER_DOUBLE_LOG = saved.log;
    await services?.stop();
    removeRepos();
    rmSync(logDir, { recursive: true, force: true });
  });

  async function build(options: Parameters<typeof run>[3]): Promise<{ run: RunResult; docker: string[] }> {
    const log = join(logDir, `${Date.now()}-${Math.random()}.log`);
    writeFileSync(log, '');
    process.env.DOCKER_DOUBLE_LOG = log;
    const result = await run(services, 'image-build', repo, options);
    return { run: result, docker: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  }

  /** One dev row: Dockerfile.dev, -test tags, pushed, pulled by its SHA tag, tests run. */
  function expectDevRow({ run: result, docker }: { run: RunResult; docker: string[] }, environment: string) {
    expect(result.conclusion).toBe('success');
    expect(result.jobs.resolve.outputs).toMatchObject({ environment, dockerfile: 'Dockerfile.dev', 'tag-suffix': '-test', dev: 'true' });
    const sha = result.jobs.resolve.outputs.sha;
    expect(result.images.map((i) => i.file).sort()).toEqual(['packages/allocator/Dockerfile.dev', 'packages/client/Dockerfile.dev']);
    for (const image of IMAGES) {
      const built = result.images.find((i) => i.tags.some((t) => t.includes(`/${image}:`)))!;
      expect(built.tags).toEqual(
        expect.arrayContaining([`ghcr.io/octo-org/${image}:sha-${sha}-test`, `ghcr.io/octo-org/${image}:latest-test`]),
      );
      expect(built['build-args']).toEqual([]);
      expect(docker).toContain(`pull ghcr.io/octo-org/${image}:sha-${sha}-test`);
    }
    expect(docker.filter((line) => line.includes('pytest'))).toHaveLength(2);
  }

  test(
    'a pull request builds the dev images and runs their tests',
    async () => {
      expectDevRow(await build({ event: 'pull_request' }), 'test');
    },
    RUN_TIMEOUT,
  );

  test(
    'a push to test builds the dev images',
    async () => {
      expectDevRow(await build({ event: 'push', ref: 'refs/heads/test' }), 'test');
    },
    RUN_TIMEOUT,
  );

  test(
    'a push to main builds the dev images (ci-test)',
    async () => {
      expectDevRow(await build({ event: 'push', ref: 'refs/heads/main' }), 'ci-test');
    },
    RUN_TIMEOUT,
  );

  test.each(['test', 'ci-test'])(
    'a manual run for %s builds the dev images',
    async (environment) => {
      expectDevRow(await build({ inputs: { environment } }), environment);
    },
    RUN_TIMEOUT,
  );

  test(
    'a manual prod run from main with both versions builds the production images with version tags, smoke-tested only',
    async () => {
      const { run: result, docker } = await build({
        inputs: { environment: 'prod', allocator_version: '0.0.2a0', client_version: '0.0.7a0' },
      });
      expect(result.conclusion).toBe('success');
      expect(result.jobs.resolve.outputs).toMatchObject({ environment: 'prod', dockerfile: 'Dockerfile', 'tag-suffix': '', dev: 'false' });
      const sha = result.jobs.resolve.outputs.sha;
      const allocator = result.images.find((i) => i.file === 'packages/allocator/Dockerfile')!;
      expect(allocator.tags).toEqual(
        expect.arrayContaining([
          `ghcr.io/octo-org/lablink-allocator-image:sha-${sha}`,
          'ghcr.io/octo-org/lablink-allocator-image:latest',
          'ghcr.io/octo-org/lablink-allocator-image:0.0.2a0',
        ]),
      );
      expect(allocator['build-args']).toEqual(['PACKAGE_VERSION=0.0.2a0']);
      const client = result.images.find((i) => i.file === 'packages/client/Dockerfile')!;
      expect(client['build-args']).toEqual(['PACKAGE_VERSION=0.0.7a0']);
      expect(docker).toContain(`pull ghcr.io/octo-org/lablink-client-base-image:sha-${sha}`);
      expect(docker.some((line) => line.includes('pytest'))).toBe(false);
    },
    RUN_TIMEOUT,
  );

  test(
    'a manual prod run without both versions is refused before anything is built',
    async () => {
      const { run: result } = await build({ inputs: { environment: 'prod', allocator_version: '0.0.2a0' } });
      expect(results(result)).toEqual({ resolve: 'failure', build: 'skipped', verify: 'skipped' });
      expect(result.images).toEqual([]);
      expect(readable(result, 'resolve')).toContain('client_version');
    },
    RUN_TIMEOUT,
  );

  test(
    'a manual prod run from a branch other than main is refused',
    async () => {
      const { run: result } = await build({
        inputs: { environment: 'prod', allocator_version: '0.0.2a0', client_version: '0.0.7a0' },
        ref: 'refs/heads/feature/x',
      });
      expect(results(result)).toEqual({ resolve: 'failure', build: 'skipped', verify: 'skipped' });
      expect(result.images).toEqual([]);
      expect(readable(result, 'resolve')).toContain('refs/heads/main');
    },
    RUN_TIMEOUT,
  );
});
