import type { Octokit } from '@pipeline-actions/kit/github';
import type { Inputs } from './inputs.js';
import type { Naming } from './naming.js';
import { listTagsWithPrefix, type Repo } from './tags.js';

/**
 * The tag format: the input when given; otherwise `service` for a new repository, and `plain` where the
 * first stage already has `{stage}-{version}` tags and none of this service's `{stage}-{service}-{version}`,
 * so history written before keeps working.
 */
export async function resolveNaming(octokit: Octokit, repo: Repo, inputs: Inputs): Promise<Naming> {
  const { service } = inputs;
  if (inputs.tagFormat) return { format: inputs.tagFormat, service, reason: `tag-format: ${inputs.tagFormat} (input)` };
  const first = inputs.stages[0];
  const tags = await listTagsWithPrefix(octokit, repo, `${first}-`);
  const servicePrefix = `${first}-${service}-`;
  if (tags.some((t) => t.tag.startsWith(servicePrefix) && inputs.versionPattern.test(t.tag.slice(servicePrefix.length)))) {
    return { format: 'service', service, reason: `tag-format: service (detected: ${servicePrefix}{version} tags exist)` };
  }
  const plain = tags.filter((t) => inputs.versionPattern.test(t.version));
  if (plain.length > 0) {
    return {
      format: 'plain',
      service,
      reason: `tag-format: plain (detected: ${plain.length} existing ${first}-{version} tags such as ${plain[0].tag}; set tag-format: service to name tags ${servicePrefix}{version})`,
    };
  }
  return { format: 'service', service, reason: `tag-format: service (default: no ${first}- tags yet)` };
}
