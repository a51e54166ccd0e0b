import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bench, failed, ok, REPO } from './helpers.js';

const SHA = '84fb588e0c1d2b3a4f5e6d7c8b9a0f1e2d3c4b5a';
const bench = new Bench();

beforeAll(() => bench.start([SHA]), 180_000);
afterAll(() => bench.stop());

describe('two services in one repository', () => {
  // Both build in the same second: the same version string, told apart by the service in every name.
  const same = '84fb588-20250301-100000';
  const newer = '84fb588-20250302-100000';

  beforeAll(async () => {
    for (const [service, version] of [
      ['api', same],
      ['worker', same],
      ['worker', newer],
    ]) {
      const runnerDir = bench.workspace({ 'out/name.txt': `${service} ${version}\n` });
      ok(await bench.run({ inputs: { mode: 'publish', service, version, path: 'out' }, sha: SHA, runnerDir }));
    }
  }, 120_000);

  it('publishes the same version of both services under their own tags', () => {
    expect(JSON.parse(bench.tagMessage(`build-api-${same}`))).toMatchObject({ service: 'api', version: same });
    expect(JSON.parse(bench.tagMessage(`build-worker-${same}`))).toMatchObject({ service: 'worker', version: same });
  });

  it('answers latest for each service from its own tags', async () => {
    const api = ok(await bench.run({ inputs: { mode: 'latest', service: 'api' }, sha: SHA }));
    const worker = ok(await bench.run({ inputs: { mode: 'latest', service: 'worker' }, sha: SHA }));
    expect(api.outputs.version).toBe(same);
    expect(api.outputs.tag).toBe(`build-api-${same}`);
    expect(worker.outputs.version).toBe(newer);
    expect(worker.outputs['previous-version']).toBe(same);
  });

  it("fetches and marks only the service's own bytes", async () => {
    const runnerDir = bench.workspace();
    const f = ok(await bench.run({ inputs: { mode: 'fetch', service: 'api', version: same, stage: 'qa' }, sha: SHA, runnerDir }));
    expect(readFileSync(join(runnerDir, 'workspace', 'artifact', 'out', 'name.txt'), 'utf8')).toBe(`api ${same}\n`);
    expect(f.outputs['artifact-name']).toBe(`service-api-${same}.tar.gz`);
    ok(await bench.run({ inputs: { mode: 'mark', service: 'api', version: same, stage: 'qa' }, sha: SHA }));
    expect(JSON.parse(bench.tagMessage(`qa-api-${same}`))).toMatchObject({ service: 'api', promotion: { stage: 'qa' } });
    expect(bench.gh.git.repo(REPO).refCreators.get(`refs/tags/qa-api-${same}`)).toBe('github-actions[bot]');
    // worker's same version has not passed qa: api's qa tag does not count for it.
    const error = failed(await bench.run({ inputs: { mode: 'fetch', service: 'worker', version: same, stage: 'prod' }, sha: SHA }));
    expect(error).toContain(`qa-worker-${same}`);
    const d = bench.gh.deployments.list(REPO, 'qa');
    expect(d.map((x) => x.task)).toEqual(['deploy:api']);
  });
});

describe('deployment history through a rollback (stages build, prod)', () => {
  const v = ['84fb588-20250401-100000', '84fb588-20250402-100000', '84fb588-20250403-100000', '84fb588-20250404-100000'];
  const inputs = { service: 'history', stages: 'build, prod', environment: 'production' };
  const publish = async (version: string) =>
    ok(
      await bench.run({
        inputs: { ...inputs, mode: 'publish', version, path: 'out' },
        sha: SHA,
        runnerDir: bench.workspace({ 'out/v.txt': version }),
      }),
    );
  const markProd = async (version: string) =>
    ok(
      await bench.run({
        inputs: { ...inputs, mode: 'mark', version, stage: 'prod', release: 'false' },
        sha: SHA,
        runId: 9000 + v.indexOf(version),
      }),
    );
  const latest = async () => ok(await bench.run({ inputs: { ...inputs, mode: 'latest', stage: 'prod' }, sha: SHA })).outputs;

  it('reports current-version and previous-version at each promotion of v1, v2, v3', async () => {
    for (const version of v.slice(0, 3)) await publish(version);
    const one = await markProd(v[0]);
    expect([one.outputs['current-version'], one.outputs['previous-version']]).toEqual(['', '']);
    const two = await markProd(v[1]);
    expect([two.outputs['current-version'], two.outputs['previous-version']]).toEqual([v[0], v[0]]);
    const three = await markProd(v[2]);
    expect([three.outputs['current-version'], three.outputs['previous-version']]).toEqual([v[1], v[1]]);
    expect(three.outputs['deployment-url']).toContain(`/deployments/${three.outputs['deployment-id']}`);
    expect(await latest()).toMatchObject({ version: v[2], 'current-version': v[2], 'previous-version': v[1] });
  }, 120_000);

  it('rolls back to the version prod held before its current one, and latest follows it', async () => {
    const runnerDir = bench.workspace();
    const r = ok(
      await bench.run({ inputs: { ...inputs, mode: 'rollback', stage: 'prod', release: 'false' }, sha: SHA, runnerDir, runId: 9100 }),
    );
    expect(r.outputs.version).toBe(v[1]);
    expect(r.outputs['current-version']).toBe(v[2]);
    expect(r.outputs['previous-version']).toBe(v[2]);
    expect(readFileSync(join(runnerDir, 'workspace', 'artifact', 'out', 'v.txt'), 'utf8')).toBe(v[1]);
    const newest = bench.gh.deployments.list(REPO, 'production')[0];
    expect(String(newest.id)).toBe(r.outputs['deployment-id']);
    expect(newest.payload).toMatchObject({ version: v[1], rollback: true });
    expect(await latest()).toMatchObject({ version: v[1], 'current-version': v[1], 'previous-version': v[2] });
    // A re-run of the same rollback records nothing twice and does not step further back.
    const again = ok(await bench.run({ inputs: { ...inputs, mode: 'rollback', stage: 'prod', release: 'false' }, sha: SHA, runId: 9100 }));
    expect(again.outputs.version).toBe(v[1]);
    expect(again.outputs['deployment-id']).toBe(r.outputs['deployment-id']);
  }, 120_000);

  it('reports what prod really held (v2) when v4 is promoted after the rollback', async () => {
    await publish(v[3]);
    const four = await markProd(v[3]);
    expect([four.outputs['current-version'], four.outputs['previous-version']]).toEqual([v[1], v[1]]);
    expect(await latest()).toMatchObject({ version: v[3], 'previous-version': v[1] });
    expect(bench.gh.deployments.list(REPO, 'production').map((d) => (d.payload as { version: string }).version)).toEqual([
      v[3],
      v[1],
      v[2],
      v[1],
      v[0],
    ]);
  }, 120_000);
});

describe('stages build, dev, qa, prod', () => {
  it('refuses qa for a version that has not passed dev, naming the dev tag', async () => {
    const version = '84fb588-20250501-100000';
    const inputs = { service: 'web', stages: 'build, dev, qa, prod' };
    ok(
      await bench.run({
        inputs: { ...inputs, mode: 'publish', version, path: 'out' },
        sha: SHA,
        runnerDir: bench.workspace({ 'out/a': 'a' }),
      }),
    );
    const error = failed(await bench.run({ inputs: { ...inputs, mode: 'mark', version, stage: 'qa' }, sha: SHA }));
    expect(error).toContain(`dev-web-${version}`);
    expect(error).toMatch(/Promote it to dev first/);
    ok(await bench.run({ inputs: { ...inputs, mode: 'mark', version, stage: 'dev' }, sha: SHA }));
    ok(await bench.run({ inputs: { ...inputs, mode: 'mark', version, stage: 'qa' }, sha: SHA }));
  }, 60_000);
});
