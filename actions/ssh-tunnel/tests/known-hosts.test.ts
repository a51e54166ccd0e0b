import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entriesFor, fingerprintOf, hostKeyName, hostMatches, parseKnownHosts, preferredEntry } from '../src/known-hosts.js';
import { inspectPrivateKey } from '../src/private-key.js';

const haveKeygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;
const withKeygen = haveKeygen ? describe : describe.skip;
if (!haveKeygen) console.warn('SKIPPED: ssh-keygen (openssh-client) is not installed; CI installs it.');

function keygen(args: string[]): { privateKey: string; publicKey: string; fingerprint: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kh-test-'));
  try {
    const path = join(dir, 'k');
    const made = spawnSync('ssh-keygen', ['-q', '-C', 'test', '-f', path, ...args], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
    const printed = spawnSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' }).stdout;
    return {
      privateKey: readFileSync(path, 'utf8'),
      publicKey: readFileSync(`${path}.pub`, 'utf8').trim(),
      fingerprint: printed.split(' ')[1],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

withKeygen('known hosts', () => {
  const key = keygen(['-t', 'ed25519', '-N', '']);
  const [type, blob] = key.publicKey.split(' ');

  it('computes the SHA256 fingerprint exactly as ssh-keygen prints it', () => {
    expect(fingerprintOf(blob)).toBe(key.fingerprint);
  });

  it('pins a bare "keytype key" line to the [host]:port name ssh looks up', () => {
    const { entries, problems } = parseKnownHosts(`${type} ${blob}`, hostKeyName('10.0.0.5', 2222));
    expect(problems).toEqual([]);
    expect(entries[0].text).toBe(`[10.0.0.5]:2222 ${type} ${blob}`);
    expect(hostKeyName('bastion', 22)).toBe('bastion');
  });

  it('keeps full lines, markers and comments, and skips comments and blanks', () => {
    const text = `# pinned 2026-11\n\nbastion,10.0.0.5 ${type} ${blob} ops@laptop\n@cert-authority *.example.com ${type} ${blob}`;
    const { entries, problems } = parseKnownHosts(text, 'x');
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.text)).toEqual([
      `bastion,10.0.0.5 ${type} ${blob} ops@laptop`,
      `@cert-authority *.example.com ${type} ${blob}`,
    ]);
  });

  it('refuses lines that are not known_hosts lines, naming the line', () => {
    const { problems } = parseKnownHosts(`bastion ssh-ed25519 not-base64!\nbastion ${type}\nhello world\nbastion ssh-rsa ${blob}`, 'x');
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/^line 1: the ssh-ed25519 key is not valid base64/);
    expect(problems[2]).toMatch(/^line 3: 'world' is not an SSH key type/);
    expect(problems[3]).toMatch(/^line 4: the ssh-rsa key is not valid base64 of a ssh-rsa key/);
  });

  it('matches host patterns like ssh: exact names, [host]:port, wildcards, negation and hashed names', () => {
    expect(hostMatches('bastion,10.0.0.5', 'bastion')).toBe(true);
    expect(hostMatches('[bastion]:2222', 'bastion')).toBe(false);
    expect(hostMatches('[bastion]:2222', '[bastion]:2222')).toBe(true);
    expect(hostMatches('*.example.com,!evil.example.com', 'db.example.com')).toBe(true);
    expect(hostMatches('*.example.com,!evil.example.com', 'evil.example.com')).toBe(false);
    expect(hostMatches('bastio?', 'bastion')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'kh-hash-'));
    try {
      writeFileSync(join(dir, 'kh'), `[bastion]:2222 ${type} ${blob}\n`);
      spawnSync('ssh-keygen', ['-H', '-f', join(dir, 'kh')], { stdio: 'ignore' });
      const hashed = readFileSync(join(dir, 'kh'), 'utf8').split(' ')[0];
      expect(hashed.startsWith('|1|')).toBe(true);
      expect(hostMatches(hashed, '[bastion]:2222')).toBe(true);
      expect(hostMatches(hashed, 'bastion')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never lets a revoked key vouch for a host, and prefers ed25519 to pin', () => {
    const rsa = keygen(['-t', 'rsa', '-b', '2048', '-N', '']).publicKey.split(' ');
    const { entries } = parseKnownHosts(`@revoked bastion ${type} ${blob}\nbastion ${rsa[0]} ${rsa[1]}\nbastion ${type} ${blob}`, 'x');
    expect(entriesFor(entries, 'bastion')).toHaveLength(2);
    expect(preferredEntry(entriesFor(entries, 'bastion'))?.keyType).toBe('ssh-ed25519');
  });
});

withKeygen('private key checks (never quoting the key)', () => {
  it('accepts an OpenSSH key, adds the trailing newline ssh needs and reads its public fingerprint', () => {
    const key = keygen(['-t', 'ed25519', '-N', '']);
    const inspected = inspectPrivateKey(key.privateKey.trimEnd().replace(/\n/g, '\r\n'));
    expect(inspected.problem).toBeUndefined();
    expect(inspected.key?.text).toBe(key.privateKey);
    expect(inspected.key?.publicFingerprint).toBe(key.fingerprint);
  });

  it('accepts a PEM RSA key', () => {
    const key = keygen(['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', '']);
    expect(inspectPrivateKey(key.privateKey).key?.format).toBe('pem');
  });

  it.each([
    ['a passphrase-protected OpenSSH key', () => keygen(['-t', 'ed25519', '-N', 'secret-pass']).privateKey, 'protected by a passphrase'],
    ['a public key', () => keygen(['-t', 'ed25519', '-N', '']).publicKey, 'looks like a public key'],
    ['random text', () => 'hunter2-not-a-key', 'is not a private key'],
    ['a truncated key', () => keygen(['-t', 'ed25519', '-N', '']).privateKey.split('\n').slice(0, 2).join('\n'), 'is not a private key'],
  ])('refuses %s without quoting it', (_what, make, problem) => {
    const text = make();
    const inspected = inspectPrivateKey(text);
    expect(inspected.problem).toContain(problem);
    for (const line of text.split('\n').filter((l) => l.length > 8)) expect(inspected.problem).not.toContain(line);
  });
});
