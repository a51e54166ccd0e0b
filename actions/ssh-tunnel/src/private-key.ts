import { createPrivateKey } from 'node:crypto';
import { fingerprintOf } from './known-hosts.js';

export interface PrivateKeyInfo {
  /** The key as written to disk: LF line ends, one trailing newline (OpenSSH refuses a key without it). */
  text: string;
  format: 'openssh' | 'pem';
  /** `SHA256:...` of the public half when it can be read without the passphrase (OpenSSH format). */
  publicFingerprint?: string;
  publicKeyType?: string;
}

/**
 * Checks the private key's form without ever quoting it: every problem message is about the shape
 * (public key given, passphrase, not a key), never its text.
 */
export function inspectPrivateKey(raw: string): { key?: PrivateKeyInfo; problem?: string } {
  const text = `${raw.replace(/\r\n?/g, '\n').trim()}\n`;
  if (/^(ssh-|ecdsa-|sk-)\S+ AAAA/.test(text)) {
    return {
      problem:
        'looks like a public key: give the private key (the file without .pub), and put its public half in the server authorized_keys.',
    };
  }
  const begin = /^-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----\n/.exec(text);
  if (!begin || !/\n-----END [A-Z0-9 ]*PRIVATE KEY-----\n$/.test(text)) {
    return { problem: 'is not a private key in OpenSSH or PEM form (a BEGIN ... PRIVATE KEY block, as ssh-keygen writes it).' };
  }
  if (begin[1] === 'OPENSSH ') return inspectOpenSsh(text);
  if (/Proc-Type: 4,ENCRYPTED/.test(text) || begin[1] === 'ENCRYPTED ') {
    return {
      problem: 'is protected by a passphrase, which a non-interactive job cannot type: use a key without a passphrase kept in a secret.',
    };
  }
  try {
    createPrivateKey({ key: text, format: 'pem' });
  } catch {
    return { problem: 'could not be read as a PEM private key (is it complete, with every line?).' };
  }
  return { key: { text, format: 'pem' } };
}

function inspectOpenSsh(text: string): { key?: PrivateKeyInfo; problem?: string } {
  const body = text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('-----'))
    .join('');
  const blob = Buffer.from(body, 'base64');
  const magic = 'openssh-key-v1\0';
  if (blob.subarray(0, magic.length).toString('latin1') !== magic) {
    return { problem: 'is not a valid OpenSSH private key (its content is damaged or incomplete).' };
  }
  let at = magic.length;
  const str = (): Buffer | undefined => {
    if (at + 4 > blob.length) return undefined;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return undefined;
    const value = blob.subarray(at + 4, at + 4 + len);
    at += 4 + len;
    return value;
  };
  const cipher = str();
  str(); // kdf name
  str(); // kdf options
  if (cipher === undefined || at + 4 > blob.length)
    return { problem: 'is not a valid OpenSSH private key (its content is damaged or incomplete).' };
  const count = blob.readUInt32BE(at);
  at += 4;
  const publicBlob = count >= 1 ? str() : undefined;
  if (!publicBlob) return { problem: 'is not a valid OpenSSH private key (its content is damaged or incomplete).' };
  if (cipher.toString('latin1') !== 'none') {
    return {
      problem: 'is protected by a passphrase, which a non-interactive job cannot type: use a key without a passphrase kept in a secret.',
    };
  }
  const typeLength = publicBlob.length >= 4 ? publicBlob.readUInt32BE(0) : 0;
  return {
    key: {
      text,
      format: 'openssh',
      publicFingerprint: fingerprintOf(publicBlob.toString('base64')),
      publicKeyType: publicBlob.subarray(4, 4 + typeLength).toString('latin1'),
    },
  };
}
