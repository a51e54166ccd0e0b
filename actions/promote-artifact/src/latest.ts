import { UserError } from '@pipeline-actions/kit';
import { outcomeFromRecord, type Deps, type Outcome } from './deps.js';
import { environmentOf, newestOther, stageHistory } from './history.js';
import { tagName } from './naming.js';
import { parseRecord } from './record.js';
import { getTag } from './tags.js';

/** The version a stage holds now: its newest deployment (a rollback included), else its newest tag. */
export async function latest(deps: Deps): Promise<Outcome> {
  const { inputs, octokit, repo, naming } = deps;
  const { stage, service } = inputs;
  const history = await stageHistory(deps, naming, stage);
  const newest = history[0];
  if (!newest) {
    throw new UserError(
      `No version of ${service} is at ${stage} yet: no deployment to environment ${environmentOf(deps, stage)} and no ${tagName(naming, stage, '')}* tag matching ${inputs.versionPattern.source}. ${stage === inputs.stages[0] ? 'Publish a version first (mode: publish).' : `Promote one to ${stage} first (mode: fetch then mode: mark).`}`,
    );
  }
  const tag = tagName(naming, stage, newest.version);
  const [stageInfo, buildInfo] = await Promise.all([
    getTag(octokit, repo, tag),
    getTag(octokit, repo, tagName(naming, inputs.stages[0], newest.version)),
  ]);
  const record = buildInfo ? parseRecord(buildInfo.message) : undefined;
  const outcome = outcomeFromRecord(
    'latest',
    stage,
    record,
    newest.version,
    tag,
    stageInfo?.commit ?? buildInfo?.commit ?? newest.deployment?.commit ?? '',
  );
  outcome.currentVersion = newest.version;
  outcome.previousVersion = newestOther(history, newest.version);
  if (newest.deployment) {
    outcome.deploymentId = String(newest.deployment.id);
    outcome.deploymentUrl = newest.deployment.url;
  }
  outcome.actions.push(
    newest.deployment
      ? `newest deployment of ${service} to ${newest.deployment.environment}: ${newest.version} (deployment ${newest.deployment.id})`
      : `newest ${stage} tag of ${service}: ${newest.version} (no deployments recorded)`,
  );
  return outcome;
}
