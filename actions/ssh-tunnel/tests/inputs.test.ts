import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { InputErrors } from '@pipeline-actions/kit';
import { getInputs, parseJumpHost } from '../src/inputs.js';

const KEY_BLOB = 'AAAAC3NzaC1lZDI1NTE5AAAAIF8aShIDNInYHnH+bmnXPmjAt4lkR+qBmbzYmS9nDGEm';
// A syntactically valid unencrypted OpenSSH ed25519 key made for these tests only.
const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACBfGkoSAzSJ2B5x/m5pxz5owLeJZEfqgZm82JkvZwxhJgAAAIiL8wJwi/MC
cAAAAAtzc2gtZWQyNTUxOQAAACBfGkoSAzSJ2B5x/m5pxz5owLeJZEfqgZm82JkvZwxhJg
AAAEBzb21lLXRlc3QtcHJpdmF0ZS1ieXRlcy1vbmx5LWZvci10ZXN0c18aShIDNInYHnH+
bmnXPmjAt4lkR+qBmbzYmS9nDGEmAAAABHRlc3QB
-----END OPENSSH PRIVATE KEY-----`;

// core.setSecret prints ::add-mask:: lines; keep the test output readable.
const quiet = jest.spyOn(process.stdout, 'write');
beforeAll(() => {
  quiet.mockImplementation(() => true);
});
afterAll(() => quiet.mockRestore());

function inputs(values: Record<string, string>) {
  const all: Record<string, string> = {
    host: 'bastion.example.com',
    port: '22',
    user: 'deploy',
    'private-key': PRIVATE_KEY,
    'known-hosts': `bastion.example.com ssh-ed25519 ${KEY_BLOB}`,
    forwards: '5432:db.internal:5432',
    ...values,
  };
  return () => getInputs((name) => (all[name] ?? '').trim());
}

function problems(values: Record<string, string>): string[] {
  try {
    inputs(values)();
  } catch (error) {
    if (error instanceof InputErrors) return error.errors.map((e) => e.message);
    throw error;
  }
  return [];
}

describe('getInputs', () => {
  it('reads a complete set with the defaults', () => {
    const got = inputs({})();
    expect(got).toMatchObject({
      host: 'bastion.example.com',
      port: 22,
      user: 'deploy',
      timeoutSeconds: 30,
      keepaliveSeconds: 15,
      verifyForwards: true,
      trustOnFirstUse: false,
    });
    expect(got.forwards).toHaveLength(1);
    expect(got.knownHosts[0].hosts).toBe('bastion.example.com');
  });

  it('requires known-hosts unless trust-on-first-use is true', () => {
    expect(problems({ 'known-hosts': '' })[0]).toMatch(/^Input 'known-hosts': is required: .*ssh-keyscan -t ed25519/);
    expect(problems({ 'known-hosts': '', 'trust-on-first-use': 'true' })).toEqual([]);
  });

  it('refuses known-hosts without a line for [host]:port when the port is not 22', () => {
    expect(problems({ port: '2222' })[0]).toContain('has no key for [bastion.example.com]:2222');
  });

  it('needs the jump host pinned by the same known-hosts', () => {
    expect(problems({ 'jump-host': 'hop@jump.example.com:2200' })[0]).toContain('has no key for [jump.example.com]:2200');
    const got = inputs({
      'jump-host': 'jump.example.com',
      'known-hosts': `bastion.example.com,jump.example.com ssh-ed25519 ${KEY_BLOB}`,
    })();
    expect(got.jumpHost).toEqual({ user: 'deploy', host: 'jump.example.com', port: 22 });
  });

  it('reports every bad input at once, each naming the input', () => {
    const found = problems({
      host: '-oProxyCommand=x',
      port: '99999',
      user: '',
      forwards: '5432:db',
      'timeout-seconds': 'soon',
      'trust-on-first-use': 'yes',
    });
    expect(found.map((m) => m.split("'")[1])).toEqual(['host', 'port', 'user', 'trust-on-first-use', 'timeout-seconds', 'forwards']);
  });

  it('requires at least one forward', () => {
    expect(problems({ forwards: '# nothing' })[0]).toContain("Input 'forwards': is required");
  });

  it('never quotes the private key in its error', () => {
    const found = problems({ 'private-key': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF8aShIDNInYHnH+bmnXPmjAt4lkR+qBmbzYmS9nDGEm me' });
    expect(found[0]).toContain("Input 'private-key': looks like a public key");
    expect(found[0]).not.toContain('AAAAC3');
  });
});

describe('parseJumpHost', () => {
  it.each([
    ['hop@jump:2200', { user: 'hop', host: 'jump', port: 2200 }],
    ['jump', { user: 'deploy', host: 'jump', port: 22 }],
    ['hop@[fd00::1]:22', { user: 'hop', host: 'fd00::1', port: 22 }],
  ])('reads %s', (text, want) => expect(parseJumpHost(text, 'deploy')).toEqual(want));

  it.each(['hop@', '@jump', 'hop@jump:0', 'hop@jump:x', 'hop@-oProxyCommand=sh'])('refuses %s', (text) =>
    expect(parseJumpHost(text, 'deploy')).toBeUndefined(),
  );
});
