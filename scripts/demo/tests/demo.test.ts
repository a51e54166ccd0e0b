// Runs the whole demo once (the reference workflows executed with run-workflow against the local services) and checks
// its transcript: every check green, the refusals happen, and what a user reads is there.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { postgresMissing } from '../../../packages/testing/src/postgres.js';
import { findPythonWithMoto } from '../../../packages/testing/src/s3-server.js';
import { sshdMissing } from '../../../packages/testing/src/sshd.js';
import { runDemo, type DemoResult } from '../run-demo.js';

// The demo's own search (every python3 on PATH), so `npx pnpm test` finds moto where `npx` put /usr/bin first.
const moto = findPythonWithMoto();
const haveMoto = moto.python !== undefined;
if (!haveMoto)
  console.warn(`SKIPPING the demo test: moto is not installed (python3 -m pip install "moto[server]"); tried ${moto.tried.join(', ')}.`);
const haveTunnel = sshdMissing().length === 0 && postgresMissing().length === 0;

(haveMoto ? describe : describe.skip)('pnpm demo', () => {
  let demo: DemoResult;

  beforeAll(async () => {
    demo = await runDemo({ color: false });
    // A failing run prints its transcript, so the failure explains itself.
    if (!demo.ok) console.log(demo.transcript);
  }, 600_000);

  it('runs every check green', () => {
    expect(demo.steps.filter((s) => s.outcome === 'fail')).toEqual([]);
    expect(demo.ok).toBe(true);
    expect(demo.transcript).toMatch(/✓ demo green: \d+ passed, 0 failed/);
  });

  it('executes the reference workflows themselves, job by job and step by step', () => {
    for (const file of ['fragment-ingestion.yml', 'ci-deploy-dev.yml', 'promote-qa.yml', 'promote-prod.yml']) {
      if (file === 'fragment-ingestion.yml' && !haveTunnel) continue;
      expect(demo.transcript).toContain(`workflows/${file}`);
    }
    expect(demo.transcript).toMatch(/▶ Run your-org\/pipeline-actions\/actions\/promote-artifact@v1/);
    expect(demo.transcript).toMatch(/Run success: .*publish=success/);
  });

  (haveTunnel ? it : it.skip)('loads the batch into PostgreSQL through the tunnel, then refuses the same batch again', () => {
    expect(demo.steps.find((s) => s.name === 'the rows are in PostgreSQL, loaded through the SSH tunnel')?.outcome).toBe('pass');
    expect(demo.steps.find((s) => s.name === 'a second load of the same batch is refused')?.outcome).toBe('pass');
    expect(demo.steps.find((s) => s.name === 'an unapproved live production load loads nothing')?.outcome).toBe('pass');
    expect(demo.transcript).toContain("Deployment to 'ingestion-production' was rejected");
  });

  it('refuses to promote to production a version that skipped QA', () => {
    expect(demo.steps.find((s) => s.name === 'production refuses a version without a QA tag')?.outcome).toBe('pass');
  });

  it('shows the summaries, the Slack messages as text, the tags and the dashboard', () => {
    expect(demo.transcript).toMatch(/│ .*\|/);
    expect(demo.transcript).toMatch(/┌─ Slack message in .*, as text/);
    expect(demo.transcript).toMatch(/┌─ tags on the local GitHub\n.*\n?.*build-/);
    expect(demo.transcript).toMatch(/┌─ dashboard comment on pull request #1/);
  });
});
