// docker/metadata-action (a documented subset of its tag rules), docker/build-push-action (records the build; no
// Docker needed), docker/login-action and docker/setup-buildx-action (no-ops that say so).
import { createHash } from 'node:crypto';
import { StepFailure, type ActionDouble, type DoubleStep } from './types.js';

/** One `docker/build-push-action` call as run-workflow records it (services.images in the result). */
export interface ImageBuild {
  job: string;
  context: string;
  file: string;
  tags: string[];
  labels: string[];
  'build-args': string[];
  push: boolean;
  platforms: string[];
  digest: string;
}

const list = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n|,(?![^=,]*=[^,]*,)/)
    .map((s) => s.trim())
    .filter(Boolean);
const lines = (text: string | undefined) =>
  (text ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

function attributes(rule: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of rule.split(',')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

function semver(tag: string): { major: string; minor: string; patch: string; version: string } | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?$/.exec(tag);
  return m ? { major: m[1], minor: m[2], patch: m[3], version: `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ''}` } : undefined;
}

/** The tag values the metadata-action rules give for this event (subset: raw, sha, ref, semver, schedule, edge). */
function tagValues(step: DoubleStep): { values: string[]; semverTagged: boolean } {
  const g = step.job.run.github as Record<string, string>;
  const event = step.job.run.event;
  const ref = g.ref ?? '';
  const flavor = attributes(lines(step.with.flavor).join(','));
  const rules = lines(step.with.tags).length
    ? lines(step.with.tags)
    : ['type=schedule', 'type=ref,event=branch', 'type=ref,event=tag', 'type=ref,event=pr'];
  const values: string[] = [];
  let semverTagged = false;
  for (const rule of rules) {
    const a = attributes(rule.includes('=') ? rule : `type=raw,value=${rule}`);
    if (a.enable === 'false') continue;
    const prefix = a.prefix ?? flavor.prefix ?? '';
    const suffix = a.suffix ?? flavor.suffix ?? '';
    const add = (v: string) => values.push(`${prefix}${v}${suffix}`.replace(/[^A-Za-z0-9_.-]/g, '-'));
    switch (a.type) {
      case 'raw':
        if (a.value) add(a.value);
        break;
      case 'sha': {
        const sha =
          event === 'pull_request' ? String((step.job.run.payload.pull_request as { head?: { sha?: string } })?.head?.sha ?? g.sha) : g.sha;
        values.push(`${a.prefix ?? flavor.prefix ?? 'sha-'}${a.format === 'long' ? sha : sha.slice(0, 7)}${suffix}`);
        break;
      }
      case 'ref':
        if (a.event === 'branch' && ref.startsWith('refs/heads/')) add(ref.slice('refs/heads/'.length));
        if (a.event === 'tag' && ref.startsWith('refs/tags/')) add(ref.slice('refs/tags/'.length));
        if (a.event === 'pr' && /^refs\/pull\/\d+\//.test(ref)) add(`pr-${ref.split('/')[2]}`);
        break;
      case 'semver': {
        const v = semver(a.value ?? (ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ''));
        if (!v) break;
        semverTagged = true;
        add(
          (a.pattern ?? '{{version}}')
            .replace('{{version}}', v.version)
            .replace('{{major}}', v.major)
            .replace('{{minor}}', v.minor)
            .replace('{{patch}}', v.patch),
        );
        break;
      }
      case 'schedule':
        if (event === 'schedule')
          add(
            (a.pattern ?? 'nightly').replace(/\{\{date '([^']+)'\}\}/, (_m, f: string) =>
              f
                .replace('YYYY', String(new Date().getUTCFullYear()))
                .replace('MM', String(new Date().getUTCMonth() + 1).padStart(2, '0'))
                .replace('DD', String(new Date().getUTCDate()).padStart(2, '0')),
            ),
          );
        break;
      case 'edge':
        if (ref === `refs/heads/${a.branch ?? 'main'}`) add('edge');
        break;
      default:
        throw new StepFailure(
          `docker/metadata-action double: tag rule '${rule}' is not in the modelled subset (raw, sha, ref, semver, schedule, edge).`,
        );
    }
  }
  const latest = flavor.latest ?? 'auto';
  if (latest === 'true' || (latest === 'auto' && semverTagged)) values.push(`${flavor.prefix ?? ''}latest${flavor.suffix ?? ''}`);
  return { values: [...new Set(values)], semverTagged };
}

export const metadataAction: ActionDouble = {
  action: 'docker/metadata-action',
  description:
    'Computes `tags`, `labels`, `json`, `version` from `images`, `tags` (rules `type=raw`, `sha`, `ref` (branch, tag, pr), `semver`, `schedule`, `edge`, with `prefix`/`suffix`/`enable`) and `flavor` (`latest`, `prefix`, `suffix`); any other rule fails the step by name.',
  async run(step) {
    const images = list(step.with.images);
    if (images.length === 0) throw new StepFailure('docker/metadata-action: images input is required.');
    const { values } = tagValues(step);
    const tags = images.flatMap((image) => values.map((v) => `${image}:${v}`));
    const g = step.job.run.github as Record<string, string>;
    const labels = [
      `org.opencontainers.image.source=${g.server_url}/${g.repository}`,
      `org.opencontainers.image.revision=${g.sha}`,
      `org.opencontainers.image.version=${values[0] ?? ''}`,
      ...lines(step.with.labels),
    ];
    step.setOutput('tags', tags.join('\n'));
    step.setOutput('labels', labels.join('\n'));
    step.setOutput('version', values[0] ?? '');
    step.setOutput(
      'json',
      JSON.stringify({ tags, labels: Object.fromEntries(labels.map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)])) }),
    );
    step.info(`Tags:\n${tags.map((t) => `  ${t}`).join('\n')}`);
  },
};

export const buildPushAction: ActionDouble = {
  action: 'docker/build-push-action',
  description:
    'Records the build (`context`, `file`, `tags`, `labels`, `build-args`, `push`, `platforms`) in the result under `services.images` instead of building; outputs `imageid`, `digest`, `metadata`. No Docker needed.',
  async run(step) {
    const context = step.with.context || '.';
    const build: ImageBuild = {
      job: step.job.jobId,
      context,
      file: step.with.file || `${context.replace(/\/$/, '')}/Dockerfile`,
      tags: list(step.with.tags),
      labels: lines(step.with.labels),
      'build-args': lines(step.with['build-args']),
      push: step.with.push === 'true',
      platforms: list(step.with.platforms),
      digest: '',
    };
    build.digest = `sha256:${createHash('sha256').update(JSON.stringify(build)).digest('hex')}`;
    step.job.run.images.push(build);
    step.setOutput('imageid', build.digest);
    step.setOutput('digest', build.digest);
    step.setOutput('metadata', JSON.stringify({ 'containerimage.digest': build.digest, 'image.name': build.tags.join(',') }));
    step.info(
      `Recorded build of ${build.file} (context ${context})${build.push ? ', pushed' : ''}: ${build.tags.join(', ') || '(no tags)'}`,
    );
  },
};

export const loginAction: ActionDouble = {
  action: 'docker/login-action',
  description: 'Accepts `registry`, `username`, `password` (masked); logs in nowhere.',
  async run(step) {
    if (step.with.password) step.setSecret(step.with.password);
    step.info(`Login to ${step.with.registry || 'Docker Hub'} recorded (no registry contacted)`);
  },
};

export const setupBuildx: ActionDouble = {
  action: 'docker/setup-buildx-action',
  description: 'A no-op; outputs `name` and `driver` as the real action does.',
  async run(step) {
    step.setOutput('name', 'run-workflow-builder');
    step.setOutput('driver', 'docker-container');
    step.info('Buildx builder recorded (no Docker needed)');
  },
};
