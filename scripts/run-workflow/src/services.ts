// The local services a --local run talks to, and the vars and secrets that point the reference workflows at them:
// moto S3, the fake GitHub API, the Slack capture server, and (when a job opens an ssh-tunnel) sshd + PostgreSQL.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { startFakeGitHub, type FakeGitHubApi } from '../../../packages/testing/src/github/index.js';
import { startS3Server, type S3TestServer } from '../../../packages/testing/src/s3-server.js';
import { startSlackServer, type SlackServer } from '../../../packages/testing/src/slack-server.js';
import { ConcurrencyGroups } from './concurrency.js';
import type { ImageBuild } from './doubles/docker.js';
import { listAllObjects, loadGitHubState, loadS3State, loadSlackState, saveGitHubState, saveS3State, saveSlackState } from './state.js';
import { startTunnelTargets, type TunnelTargets } from './tunnel-targets.js';
import { snapshotGitHub, type GitHubSnapshot } from './github-snapshot.js';

export interface ServicesSnapshot {
  s3: Record<string, string[]>;
  slack: { channel: string; text?: string; blocks?: unknown; ts: string }[];
  github: GitHubSnapshot;
  postgres?: Record<string, number>;
  images?: ImageBuild[];
}

export interface LocalServicesOptions {
  stateDir?: string;
  /** Start sshd + PostgreSQL now (otherwise on the first run that uses ssh-tunnel). */
  ssh?: boolean;
  postgres?: boolean;
}

export interface LocalServices {
  s3: S3TestServer;
  s3Client: S3Client;
  github: FakeGitHubApi;
  slack: SlackServer;
  /** sshd + PostgreSQL, once started. */
  tunnel?: TunnelTargets;
  vars: Record<string, string>;
  secrets: Record<string, string>;
  concurrency: ConcurrencyGroups;
  images: ImageBuild[];
  stateDir?: string;
  /** Starts sshd + PostgreSQL if they are not running, and adds their vars and secrets. */
  ensureTunnelTargets(): Promise<TunnelTargets>;
  snapshot(): Promise<ServicesSnapshot>;
  /** Saves the state (with stateDir) and stops everything. */
  stop(): Promise<void>;
}

/** Bucket names the reference workflows read from vars, created empty at start. */
export const LOCAL_BUCKETS = { FRAGMENT_BUCKET: 'fragments', ARTIFACT_BUCKET: 'artifacts', S3_BUCKET: 'redcap-exports' };
export const DB_NAME = 'research';

function baseVarsAndSecrets(s3: S3TestServer, slack: SlackServer, github: FakeGitHubApi) {
  const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
  const vars: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    ...LOCAL_BUCKETS,
    AWS_ROLE_ARN: role('pipeline'),
    AWS_READ_ROLE_ARN: role('fragments-read'),
    AWS_LOAD_ROLE_ARN: role('fragments-load'),
    LOADER_ROLE_ARN: role('fragments-load'),
    ARTIFACT_ROLE_ARN: role('artifacts'),
    SERVICE_NAME: 'demo-service',
    DB_NAME,
    DB_USER: 'postgres',
    REDCAP_API_URL: `${github.url}/redcap/api/`,
    GSID_SERVICE_URL: `${github.url}/gsid/`,
    LOG_LEVEL: 'INFO',
    AUTO_PROMOTE_QA: 'false',
    AUTO_REQUEST_PRODUCTION: 'false',
    S3_ENDPOINT: s3.endpoint,
  };
  const secrets: Record<string, string> = {
    SLACK_WEBHOOK_URL: slack.webhookUrl,
    SLACK_BOT_TOKEN: slack.token,
    DB_PASSWORD: 'local-db-password',
    DEPLOY_TOKEN: 'local-deploy-token',
    INFRA_PLAN_CREDENTIALS: 'local-plan-credentials',
    INFRA_APPLY_CREDENTIALS: 'local-apply-credentials',
    GSID_API_KEY: 'local-gsid-key',
    REDCAP_API_TOKEN: 'local-redcap-token',
    ...Object.fromEntries(
      ['GAP', 'UC_DEMARC', 'PROTECT', 'SPARC', 'NIDDK_IBDGC'].map((p) => [
        `REDCAP_API_TOKEN_${p}`,
        `local-redcap-token-${p.toLowerCase()}`,
      ]),
    ),
  };
  return { vars, secrets };
}

export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  const started: { stop(): Promise<void> }[] = [];
  try {
    // sshd + PostgreSQL start while moto does (both take seconds); their vars are added once the services exist.
    let tunnelReady: Promise<TunnelTargets> | undefined;
    let tunnelStart: Promise<TunnelTargets> | undefined =
      options.ssh || options.postgres
        ? startTunnelTargets({ dataDir: options.stateDir ? join(options.stateDir, 'postgres') : undefined, database: DB_NAME })
        : undefined;
    // Handled now (the rejection surfaces when ensureTunnelTargets awaits it); a failure below still stops them.
    tunnelStart?.catch(() => undefined);
    started.push({ stop: async () => (await tunnelStart?.catch(() => undefined))?.stop() });
    const s3 = await startS3Server();
    started.push(s3);
    const github = await startFakeGitHub();
    started.push(github);
    const slack = await startSlackServer();
    started.push(slack);
    const s3Client = new S3Client({ ...s3.clientConfig });
    const { vars, secrets } = baseVarsAndSecrets(s3, slack, github);
    const stateDir = options.stateDir;
    if (stateDir) mkdirSync(stateDir, { recursive: true });
    const existing = new Set(((await s3Client.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name));
    for (const bucket of Object.values(LOCAL_BUCKETS))
      if (!existing.has(bucket)) await s3Client.send(new CreateBucketCommand({ Bucket: bucket }));
    if (stateDir) {
      await loadS3State(s3Client, join(stateDir, 's3'));
      loadGitHubState(github, join(stateDir, 'github.json'));
      loadSlackState(slack, join(stateDir, 'slack.json'));
    }
    const services: LocalServices = {
      s3,
      s3Client,
      github,
      slack,
      vars,
      secrets,
      concurrency: new ConcurrencyGroups(),
      images: [],
      stateDir,
      ensureTunnelTargets: () => {
        tunnelStart ??= startTunnelTargets({ dataDir: stateDir ? join(stateDir, 'postgres') : undefined, database: DB_NAME });
        return (tunnelReady ??= tunnelStart.then((t) => {
          services.tunnel = t;
          Object.assign(services.vars, {
            BASTION_HOST: t.address,
            BASTION_USER: t.sshd.user,
            BASTION_KNOWN_HOSTS: t.knownHosts,
            DB_HOST: t.address,
          });
          services.secrets.BASTION_SSH_KEY = t.sshd.clientKey.privateKey;
          return t;
        }));
      },
      snapshot: async () => ({
        s3: await listAllObjects(s3Client),
        slack: slack.messages.map((m) => ({ channel: m.channel, text: m.text, blocks: m.blocks, ts: m.ts })),
        github: snapshotGitHub(github),
        ...(services.tunnel ? { postgres: countRows(services.tunnel) } : {}),
        ...(services.images.length ? { images: services.images } : {}),
      }),
      stop: async () => {
        if (stateDir) {
          await saveS3State(s3Client, join(stateDir, 's3'));
          saveGitHubState(github, join(stateDir, 'github.json'));
          saveSlackState(slack, join(stateDir, 'slack.json'));
        }
        s3Client.destroy();
        // The tunnel targets' entry is first in `started`: it stops last.
        for (const s of started.reverse()) await s.stop();
      },
    };
    if (options.ssh || options.postgres) await services.ensureTunnelTargets();
    return services;
  } catch (error) {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    throw error;
  }
}

/** Row counts of the user tables in the research database. */
export function countRows(t: TunnelTargets): Record<string, number> {
  const psql = spawnSync(
    'psql',
    [
      '-h',
      t.postgres.host,
      '-U',
      'postgres',
      '-d',
      t.postgres.database,
      '-tAF',
      '\t',
      '-c',
      "SELECT schemaname || '.' || relname, n_live_tup FROM pg_stat_user_tables ORDER BY 1",
    ],
    { encoding: 'utf8' },
  );
  const tables = psql.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]);
  const out: Record<string, number> = {};
  for (const table of tables) {
    const count = spawnSync(
      'psql',
      ['-h', t.postgres.host, '-U', 'postgres', '-d', t.postgres.database, '-tAc', `SELECT count(*) FROM ${table}`],
      { encoding: 'utf8' },
    );
    out[table.replace(/^public\./, '')] = Number(count.stdout.trim());
  }
  return out;
}
