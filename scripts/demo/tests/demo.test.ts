// Runs the whole demo once (every bundled action against moto, the fake GitHub API and the Slack capture server)
// and checks its transcript: every step green, the second load refused, production refused without a QA tag.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { findPythonWithMoto } from '../../../packages/testing/src/s3-server.js';
import { runDemo, type DemoResult } from '../run-demo.js';

// The demo's own search (every python3 on PATH), so `npx pnpm test` finds moto where `npx` put /usr/bin first.
const moto = findPythonWithMoto();
const haveMoto = moto.python !== undefined;
if (!haveMoto)
  console.warn(`SKIPPING the demo test: moto is not installed (python3 -m pip install "moto[server]"); tried ${moto.tried.join(', ')}.`);

(haveMoto ? describe : describe.skip)('pnpm demo', () => {
  let demo: DemoResult;

  beforeAll(async () => {
    demo = await runDemo({ color: false });
    // A failing run prints its transcript, so the failure explains itself.
    if (!demo.ok) console.log(demo.transcript);
  }, 240_000);

  it('runs every step green (only the tunnel may be skipped: there is no sshd in the default demo)', () => {
    const notGreen = demo.steps.filter((s) => s.outcome === 'fail' || (s.outcome === 'skip' && !s.name.startsWith('ssh-tunnel')));
    expect(notGreen).toEqual([]);
    expect(demo.ok).toBe(true);
    expect(demo.transcript).toMatch(/✓ demo green: \d+ passed, 0 failed, 1 skipped/);
  });

  it('runs all six actions from their bundles', () => {
    for (const label of [
      'determine-environment',
      'validate-batch (validate)',
      'validate-batch (mark-loaded)',
      'notify-slack (status: success)',
      'dashboard-update (init)',
      'promote-artifact (publish, store: both)',
      'promote-artifact (fetch, stage qa)',
      'promote-artifact (mark, stage qa)',
      'promote-artifact (fetch, stage prod)',
      'promote-artifact (mark, stage prod)',
    ]) {
      expect(demo.steps.find((s) => s.name === label)?.outcome).toBe('pass');
    }
    expect(demo.steps.find((s) => s.name === 'ssh-tunnel')).toMatchObject({ outcome: 'skip', note: expect.stringContaining('--with-ssh') });
  });

  it('refuses a second load of the same batch, saying who loaded it and when', () => {
    const refusal = demo.steps.find((s) => s.name.startsWith('validate-batch (mark-loaded) refuses a second load'));
    expect(refusal).toMatchObject({ outcome: 'pass', note: expect.stringContaining('refused as expected') });
    expect(demo.transcript).toMatch(/::error::.*already loaded by octocat at \d{4}-\d{2}-\d{2}T/);
  });

  it('refuses to fetch for production a version that has no QA tag', () => {
    const refusal = demo.steps.find((s) => s.name.startsWith('promote-artifact (fetch, stage prod) refuses'));
    expect(refusal).toMatchObject({ outcome: 'pass', note: expect.stringContaining('refused as expected') });
    expect(demo.transcript).toMatch(/::error::.*qa-[0-9a-f]{7}-\d{8}-\d{6}/);
  });

  it('shows the batch summary, the Slack message, the release record and the dashboard markdown', () => {
    expect(demo.transcript).toContain('┌─ batch summary');
    expect(demo.transcript).toMatch(/┌─ Slack message in #data-loads .*as text\n.*FRAGMENT INGESTION/);
    expect(demo.transcript).toMatch(/┌─ release record \(tag build-[0-9a-f]{7}-\d{8}-\d{6}\)/);
    expect(demo.transcript).toMatch(/"sha256": "[0-9a-f]{64}"/);
    expect(demo.transcript).toMatch(/┌─ dashboard comment on [0-9a-f]{7}/);
    expect(demo.transcript).toMatch(/\| Promote to production \| ✅ \|/);
  });
});
