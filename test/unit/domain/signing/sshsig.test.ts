import { parseSshPublicKey, type SshPublicKey } from '../../../../domain/signing/ssh-key';
import { armorSshsig, parseSshsig, verifySshsig, VOTE_NAMESPACE } from '../../../../domain/signing/sshsig';
import { sshWorkspace, type SshKeyFiles, type SshWorkspace } from './ssh-fixtures';

// Format: OpenSSH PROTOCOL.sshsig. Signatures here come from the real `ssh-keygen -Y sign`.

const MESSAGE = Buffer.from('{"decision":"approve","incidentId":"incident-axios","stepId":"rotate-keys"}');

function key(files: SshKeyFiles): SshPublicKey {
  const parsed = parseSshPublicKey(files.publicLine);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.key;
}

/** The decoded SSHSIG blob, for tampering with single fields. */
function blobOf(armored: string): Buffer {
  return Buffer.from(armored.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

describe('verifySshsig', () => {
  let ws: SshWorkspace;
  let ed: SshKeyFiles;
  let ec: SshKeyFiles;
  let other: SshKeyFiles;
  beforeAll(() => {
    ws = sshWorkspace();
    ed = ws.keygen('ed', 'ed25519');
    ec = ws.keygen('ec', 'ecdsa');
    other = ws.keygen('other', 'ed25519');
  });
  afterAll(() => ws.cleanup());

  describe.each([
    ['Ed25519', () => ed],
    ['ECDSA P-256', () => ec],
  ])('%s', (_name, files) => {
    it.each(['sha512', 'sha256'] as const)(
      'accepts what ssh-keygen -Y sign wrote with %s, as ssh-keygen -Y verify does',
      (hash) => {
        const sig = ws.sign(files(), MESSAGE, VOTE_NAMESPACE, hash);
        const k = key(files());
        expect(
          verifySshsig(sig, { message: MESSAGE, namespace: VOTE_NAMESPACE, allowedKeys: [key(other), k] }),
        ).toEqual({
          ok: true,
          fingerprint: k.fingerprint,
        });
        expect(ws.sshVerify(sig, MESSAGE, VOTE_NAMESPACE, files())).toBe(true);
        expect(parseSshsig(sig)).toMatchObject({ ok: true, sig: { hashAlgorithm: hash, namespace: VOTE_NAMESPACE } });
      },
    );

    it('refuses an altered message, as ssh-keygen -Y verify does', () => {
      const sig = ws.sign(files(), MESSAGE, VOTE_NAMESPACE);
      const altered = Buffer.from(MESSAGE.toString().replace('approve', 'reject'));
      expect(
        verifySshsig(sig, { message: altered, namespace: VOTE_NAMESPACE, allowedKeys: [key(files())] }),
      ).toMatchObject({
        ok: false,
        problem: 'BAD_SIGNATURE',
      });
      expect(ws.sshVerify(sig, altered, VOTE_NAMESPACE, files())).toBe(false);
    });

    it('refuses a signature made for another namespace (a git commit signature is not a vote)', () => {
      const sig = ws.sign(files(), MESSAGE, 'git');
      expect(
        verifySshsig(sig, { message: MESSAGE, namespace: VOTE_NAMESPACE, allowedKeys: [key(files())] }),
      ).toMatchObject({
        ok: false,
        problem: 'WRONG_NAMESPACE',
      });
      expect(ws.sshVerify(sig, MESSAGE, VOTE_NAMESPACE, files())).toBe(false);
    });

    it('refuses a key that is not enrolled for the signer', () => {
      const sig = ws.sign(files(), MESSAGE, VOTE_NAMESPACE);
      expect(
        verifySshsig(sig, { message: MESSAGE, namespace: VOTE_NAMESPACE, allowedKeys: [key(other)] }),
      ).toMatchObject({
        ok: false,
        problem: 'KEY_NOT_ALLOWED',
      });
      expect(ws.sshVerify(sig, MESSAGE, VOTE_NAMESPACE, other)).toBe(false);
    });

    it('refuses a flipped bit in the signature itself', () => {
      const sig = ws.sign(files(), MESSAGE, VOTE_NAMESPACE);
      const blob = blobOf(sig);
      blob[blob.length - 5]! ^= 0x01;
      const tampered = armorSshsig(blob);
      const result = verifySshsig(tampered, {
        message: MESSAGE,
        namespace: VOTE_NAMESPACE,
        allowedKeys: [key(files())],
      });
      expect(result).toMatchObject({ ok: false, problem: 'BAD_SIGNATURE' });
      expect(ws.sshVerify(tampered, MESSAGE, VOTE_NAMESPACE, files())).toBe(false);
    });
  });

  it('refuses a signature whose embedded key was swapped for an enrolled one (signature by another key)', () => {
    const sig = blobOf(ws.sign(other, MESSAGE, VOTE_NAMESPACE));
    const theirs = Buffer.from(key(other).blob, 'base64');
    const mine = Buffer.from(key(ed).blob, 'base64');
    const swapped = Buffer.from(
      sig.toString('latin1').replace(theirs.toString('latin1'), mine.toString('latin1')),
      'latin1',
    );
    const result = verifySshsig(armorSshsig(swapped), {
      message: MESSAGE,
      namespace: VOTE_NAMESPACE,
      allowedKeys: [key(ed)],
    });
    expect(result).toMatchObject({ ok: false, problem: 'BAD_SIGNATURE' });
  });

  it('refuses trailing garbage after the signature, in the blob or after the armor', () => {
    const sig = ws.sign(ed, MESSAGE, VOTE_NAMESPACE);
    const expect_ = { message: MESSAGE, namespace: VOTE_NAMESPACE, allowedKeys: [key(ed)] };
    expect(verifySshsig(armorSshsig(Buffer.concat([blobOf(sig), Buffer.from([0, 0, 0, 0])])), expect_)).toMatchObject({
      ok: false,
      problem: 'TRAILING_DATA',
    });
    expect(verifySshsig(`${sig}trailing text`, expect_)).toMatchObject({ ok: false, problem: 'BAD_ARMOR' });
    // Whitespace around the armor is what files and terminals add: accepted.
    expect(verifySshsig(`\n  ${sig}\n\n`, expect_).ok).toBe(true);
  });

  it('refuses an unsupported hash, an unknown version, a truncated blob and a non-SSHSIG text', () => {
    const sig = ws.sign(ed, MESSAGE, VOTE_NAMESPACE);
    const expect_ = { message: MESSAGE, namespace: VOTE_NAMESPACE, allowedKeys: [key(ed)] };
    const blob = blobOf(sig);
    const sha384 = Buffer.from(
      blob.toString('latin1').replace('\x00\x00\x00\x06sha512', '\x00\x00\x00\x06sha384'),
      'latin1',
    );
    expect(verifySshsig(armorSshsig(sha384), expect_)).toMatchObject({ ok: false, problem: 'UNSUPPORTED_HASH' });
    const v2 = Buffer.from(blob);
    v2[9] = 2;
    expect(verifySshsig(armorSshsig(v2), expect_)).toMatchObject({ ok: false, problem: 'UNSUPPORTED_VERSION' });
    expect(verifySshsig(armorSshsig(blob.subarray(0, blob.length - 10)), expect_)).toMatchObject({
      ok: false,
      problem: 'MALFORMED',
    });
    expect(verifySshsig('-----BEGIN PGP SIGNATURE-----\nAAAA\n-----END PGP SIGNATURE-----', expect_)).toMatchObject({
      ok: false,
      problem: 'BAD_ARMOR',
    });
  });

  it('accepts high-S ECDSA signatures, which OpenSSH never normalises', () => {
    // Each ssh-keygen ECDSA signature has s in the upper half about half of the time: 12 in a row all low-S is
    // a 1 in 4096 chance, so this run exercises the high-S path.
    const expect_ = { message: MESSAGE, namespace: VOTE_NAMESPACE, allowedKeys: [key(ec)] };
    for (let i = 0; i < 12; i++) expect(verifySshsig(ws.sign(ec, MESSAGE, VOTE_NAMESPACE), expect_).ok).toBe(true);
  });

  it('re-armors a blob byte for byte as ssh-keygen wrote it', () => {
    const sig = ws.sign(ec, MESSAGE, VOTE_NAMESPACE);
    expect(armorSshsig(blobOf(sig))).toBe(sig);
  });
});
