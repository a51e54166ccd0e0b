import { createHash, createHmac } from 'node:crypto';

/** One usable known_hosts line. */
export interface KnownHost {
  marker?: '@cert-authority' | '@revoked';
  /** The comma-separated host patterns (or a hashed `|1|salt|hash` entry). */
  hosts: string;
  keyType: string;
  /** Base64 key blob. */
  key: string;
  /** `SHA256:...` (unpadded base64, as OpenSSH prints it). */
  fingerprint: string;
  /** The line as written to the known_hosts file. */
  text: string;
}

export interface ParsedKnownHosts {
  entries: KnownHost[];
  problems: string[];
}

const KEY_TYPE =
  /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com|[a-z0-9-]+-cert-v01@openssh\.com)$/;

/** The name ssh looks up in known_hosts: `host`, or `[host]:port` off port 22. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** `SHA256:...` of a base64 key blob, the way `ssh-keygen -l` prints it. */
export function fingerprintOf(keyBase64: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/** The key type a blob declares in its first field (the SSH wire string). */
function blobType(keyBase64: string): string | undefined {
  const blob = Buffer.from(keyBase64, 'base64');
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len <= 0 || len > 64 || 4 + len > blob.length) return undefined;
  return blob.subarray(4, 4 + len).toString('latin1');
}

/**
 * Parses the `known-hosts` input: known_hosts lines, blank lines and comments skipped.
 * A line with only `keytype key` is pinned to `defaultHost` (the `[host]:port` name ssh looks up).
 */
export function parseKnownHosts(text: string, defaultHost: string): ParsedKnownHosts {
  const entries: KnownHost[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const n = index + 1;
    const fields = line.split(/\s+/);
    let marker: KnownHost['marker'];
    if (fields[0].startsWith('@')) {
      if (fields[0] !== '@cert-authority' && fields[0] !== '@revoked') {
        problems.push(`line ${n}: unknown marker '${fields[0]}'; expected @cert-authority or @revoked.`);
        return;
      }
      marker = fields.shift() as KnownHost['marker'];
    }
    let hosts: string;
    if (KEY_TYPE.test(fields[0] ?? '')) {
      hosts = defaultHost;
    } else {
      hosts = fields.shift() ?? '';
    }
    const [keyType = '', key = '', ...comment] = fields;
    const form = "expected '[host]:port keytype base64-key' as printed by ssh-keyscan (or just 'keytype base64-key')";
    if (!KEY_TYPE.test(keyType)) {
      problems.push(`line ${n}: '${keyType || line}' is not an SSH key type; ${form}.`);
      return;
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || blobType(key) !== keyType) {
      problems.push(`line ${n}: the ${keyType} key is not valid base64 of a ${keyType} key; ${form}.`);
      return;
    }
    const textLine = [marker, hosts, keyType, key, ...comment].filter(Boolean).join(' ');
    entries.push({ marker, hosts, keyType, key, fingerprint: fingerprintOf(key), text: textLine });
  });
  return { entries, problems };
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\[/g, '\\[')
    .replace(/\]/g, '\\]');
  return new RegExp(`^${escaped.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

/** Whether an entry's host field matches `name` the way ssh does (patterns, negation, hashed names). */
export function hostMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(body).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The entries that can vouch for `name` (revoked keys excluded). */
export function entriesFor(entries: KnownHost[], name: string): KnownHost[] {
  return entries.filter((e) => e.marker !== '@revoked' && hostMatches(e.hosts, name));
}

/** Parses `ssh-keyscan` output into known_hosts entries (comments skipped). */
export function parseKeyscan(output: string): KnownHost[] {
  return output
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .flatMap((l) => parseKnownHosts(l, '').entries);
}

/** ed25519 first, then ECDSA, then RSA: the key a user should pin. */
export function preferredEntry(entries: KnownHost[]): KnownHost | undefined {
  const rank = (t: string) => (t === 'ssh-ed25519' ? 0 : t.startsWith('ecdsa') ? 1 : t === 'ssh-rsa' ? 2 : 3);
  return [...entries].sort((a, b) => rank(a.keyType) - rank(b.keyType))[0];
}
