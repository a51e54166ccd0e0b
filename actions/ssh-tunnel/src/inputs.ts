import { InputReader, type InputGetter, envInput } from '@pipeline-actions/kit';
import { isHostName, isIpv6, parseForwards, type Forward } from './forwards.js';
import { entriesFor, hostKeyName, parseKnownHosts, type KnownHost } from './known-hosts.js';
import { inspectPrivateKey, type PrivateKeyInfo } from './private-key.js';
import type { JumpHost } from './ssh-command.js';

export interface Inputs {
  host: string;
  port: number;
  user: string;
  privateKey: PrivateKeyInfo;
  /** Pinned entries; empty with trust-on-first-use. */
  knownHosts: KnownHost[];
  trustOnFirstUse: boolean;
  forwards: Forward[];
  timeoutSeconds: number;
  keepaliveSeconds: number;
  keepaliveCountMax: number;
  jumpHost?: JumpHost;
  verifyForwards: boolean;
  /** Notes for the log (non-loopback binds, ignored trust-on-first-use). */
  warnings: string[];
  notes: string[];
}

const USER = /^[A-Za-z0-9._][A-Za-z0-9._@-]{0,63}$/;
const HOST_FORM = 'a host name or IP address';

function validHost(value: string): boolean {
  return !value.startsWith('-') && (isHostName(value) || isIpv6(value));
}

/** Parses `user@host:port` (user and port optional; IPv6 in brackets). */
export function parseJumpHost(value: string, defaultUser: string): JumpHost | undefined {
  const m = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s]+)(?::(\d{1,5}))?$/.exec(value);
  if (!m) return undefined;
  const host = m[2].replace(/^\[|\]$/g, '');
  const port = m[3] === undefined ? 22 : Number(m[3]);
  const user = m[1] ?? defaultUser;
  if (!validHost(host) || port < 1 || port > 65535 || !USER.test(user)) return undefined;
  return { user, host, port };
}

export function getInputs(get: InputGetter = envInput): Inputs {
  const r = new InputReader(get);
  const warnings: string[] = [];
  const notes: string[] = [];
  // The key first: it is masked before anything else can print.
  const rawKey = r.secret('private-key', { required: true });
  const host = r.string('host', { required: true, form: HOST_FORM });
  if (host !== '' && !validHost(host))
    r.fail('host', `'${host}' is not valid: expected ${HOST_FORM} (no user@ or :port; use the user and port inputs).`);
  const port = r.integer('port', { default: 22, min: 1, max: 65535 });
  const user = r.string('user', { required: true, form: 'the login name on the bastion' });
  if (user !== '' && !USER.test(user)) r.fail('user', `'${user}' is not valid: expected a login name (letters, digits, '.', '_', '-').`);
  const trustOnFirstUse = r.boolean('trust-on-first-use', { default: false });
  const timeoutSeconds = r.integer('timeout-seconds', { default: 30, min: 1, max: 600 });
  const keepaliveSeconds = r.integer('keepalive-seconds', { default: 15, min: 0, max: 3600 });
  const keepaliveCountMax = r.integer('keepalive-count-max', { default: 3, min: 1, max: 100 });
  const verifyForwards = r.boolean('verify-forwards', { default: true });

  let privateKey: PrivateKeyInfo = { text: '', format: 'openssh' };
  if (rawKey !== '') {
    const inspected = inspectPrivateKey(rawKey);
    if (inspected.problem) r.fail('private-key', inspected.problem);
    else if (inspected.key) privateKey = inspected.key;
  }

  const jumpRaw = r.string('jump-host');
  let jumpHost: JumpHost | undefined;
  if (jumpRaw !== '') {
    jumpHost = parseJumpHost(jumpRaw, user);
    if (!jumpHost) r.fail('jump-host', `'${jumpRaw}' is not valid: expected user@host:port (user and port optional, IPv6 as [addr]).`);
  }

  const forwardsRaw = r.raw('forwards');
  const parsed = parseForwards(forwardsRaw);
  if (parsed.forwards.length === 0 && parsed.problems.length === 0) {
    r.fail('forwards', 'is required: expected one forward a line, [bind:]local_port:remote_host:remote_port, e.g. 5432:db.internal:5432.');
  }
  for (const p of parsed.problems) r.fail('forwards', p);
  warnings.push(...parsed.warnings);

  const knownHostsRaw = r.raw('known-hosts');
  const targetName = hostKeyName(host, port);
  let knownHosts: KnownHost[] = [];
  if (knownHostsRaw !== '') {
    const kh = parseKnownHosts(knownHostsRaw, targetName);
    for (const p of kh.problems) r.fail('known-hosts', p);
    knownHosts = kh.entries;
    if (kh.problems.length === 0 && host !== '' && validHost(host)) {
      const names = [targetName, ...(jumpHost ? [hostKeyName(jumpHost.host, jumpHost.port)] : [])];
      for (const name of names) {
        if (entriesFor(knownHosts, name).length === 0) {
          r.fail(
            'known-hosts',
            `has no key for ${name}: ssh looks the host up by exactly that name ('[host]:port' when the port is not 22). Add a line such as the output of 'ssh-keyscan -t ed25519${name.startsWith('[') ? ' -p PORT' : ''} HOST', verified out of band.`,
          );
        }
      }
    }
    if (trustOnFirstUse) notes.push('known-hosts is set, so its pinned keys are used and trust-on-first-use is ignored.');
  } else if (!trustOnFirstUse) {
    r.fail(
      'known-hosts',
      "is required: expected the bastion's known_hosts line(s), e.g. '[bastion.example.com]:2222 ssh-ed25519 AAAA...' from 'ssh-keyscan -t ed25519 -p 2222 bastion.example.com' checked once out of band (or set trust-on-first-use: true to accept the key unverified).",
    );
  }

  r.done();
  return {
    host,
    port,
    user,
    privateKey,
    knownHosts,
    trustOnFirstUse: trustOnFirstUse && knownHosts.length === 0,
    forwards: parsed.forwards,
    timeoutSeconds,
    keepaliveSeconds,
    keepaliveCountMax,
    jumpHost,
    verifyForwards,
    warnings,
    notes,
  };
}
