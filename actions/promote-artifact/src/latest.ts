import { UserError } from '@pipeline-actions/kit';
import { stageVersions } from './chain.js';
import { outcomeFromRecord, type Deps, type Outcome } from './deps.js';
import { parseRecord } from './record.js';
import { getTag } from './tags.js';
import { stageTag } from './version.js';

export async function latest(deps: Deps): Promise<Outcome> {
  const { inputs, octokit, repo } = deps;
  const { stage } = inputs;
  const versions = await stageVersions(octokit, repo, stage, inputs.versionPattern);
  const newest = versions[0];
  if (!newest) {
    throw new UserError(
      `No version carries a ${stage}- tag yet (matching ${inputs.versionPattern.source}): nothing has been ${stage === inputs.stages[0] ? 'published' : `promoted to ${stage}`}.`,
    );
  }
  const [stageInfo, buildInfo] = await Promise.all([
    getTag(octokit, repo, newest.tag),
    getTag(octokit, repo, stageTag(inputs.stages[0], newest.version)),
  ]);
  const record = buildInfo ? parseRecord(buildInfo.message) : undefined;
  const outcome = outcomeFromRecord('latest', stage, record, newest.version, newest.tag, stageInfo?.commit ?? buildInfo?.commit ?? '');
  outcome.previousVersion = versions[1]?.version ?? '';
  outcome.actions.push(`newest of ${versions.length} ${stage} versions: ${newest.version}`);
  return outcome;
}
