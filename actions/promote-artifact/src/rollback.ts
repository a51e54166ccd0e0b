import { verifyChain } from './chain.js';
import type { Deps, Outcome } from './deps.js';
import { fetchVerified } from './fetch.js';
import { stageHistory } from './history.js';
import { promote, rollbackTarget } from './mark.js';

/**
 * Installs the version the stage held before its current one (or `version`): the same gate as any
 * promotion, the same verified download and extraction as fetch, then the tag and deployment that make
 * the rollback the stage's newest history entry.
 */
export async function rollback(deps: Deps): Promise<Outcome> {
  const { inputs, naming } = deps;
  const history = await stageHistory(deps, naming, inputs.stage);
  const { target } = rollbackTarget(deps, history);
  const chain = await verifyChain(deps, naming, inputs.stage, target);
  const outcome = await fetchVerified(deps, chain, inputs.stage, target, 'rollback');
  outcome.actions.unshift(`rolling ${inputs.service} at ${inputs.stage} back from ${history[0]?.version} to ${target}`);
  return promote(deps, chain, history, { stage: inputs.stage, version: target, rollback: true, outcome });
}
