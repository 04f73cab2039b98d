import { parseSshPublicKey, sameSshKey } from '../../../../domain/signing/ssh-key';
import { sshWorkspace, type SshWorkspace } from './ssh-fixtures';

describe('parseSshPublicKey', () => {
  let ws: SshWorkspace;
  beforeAll(() => {
    ws = sshWorkspace();
  });
  afterAll(() => ws.cleanup());

  it.each(['ed25519', 'ecdsa'] as const)(
    'reads a %s key line and fingerprints it exactly as ssh-keygen -lf',
    (type) => {
      const files = ws.keygen(`fp-${type}`, type);
      const parsed = parseSshPublicKey(files.publicLine);
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.key.algorithm).toBe(type === 'ed25519' ? 'ssh-ed25519' : 'ecdsa-sha2-nistp256');
      expect(parsed.key.fingerprint).toBe(ws.fingerprint(files));
      expect(parsed.key.comment).toBe(`fp-${type}@cordon.test`);
      expect(Buffer.from(parsed.key.key, 'base64')).toHaveLength(type === 'ed25519' ? 32 : 65);
      expect(parsed.key.blob).toBe(files.publicLine.split(' ')[1]);
    },
  );

  it('keeps a comment with spaces and ignores surrounding whitespace', () => {
    const files = ws.keygen('spaces', 'ed25519');
    const [type, blob] = files.publicLine.split(' ');
    const parsed = parseSshPublicKey(`  ${type}   ${blob}  Alice Example (laptop)\n`);
    expect(parsed.ok && parsed.key.comment).toBe('Alice Example (laptop)');
    expect(parsed.ok && sameSshKey(parsed.key, { blob: blob! })).toBe(true);
  });

  it('refuses RSA and DSA keys, a type that disagrees with the blob, bad base64 and trailing bytes', () => {
    const ed = ws.keygen('refuse', 'ed25519').publicLine.split(' ')[1]!;
    expect(parseSshPublicKey('ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ x')).toMatchObject({
      ok: false,
      problem: 'UNSUPPORTED_ALGORITHM',
    });
    expect(parseSshPublicKey(`ecdsa-sha2-nistp256 ${ed}`)).toMatchObject({ ok: false, problem: 'ALGORITHM_MISMATCH' });
    expect(parseSshPublicKey('ssh-ed25519 not*base64')).toMatchObject({ ok: false, problem: 'MALFORMED' });
    expect(parseSshPublicKey('ssh-ed25519')).toMatchObject({ ok: false, problem: 'MALFORMED' });
    const longer = Buffer.concat([Buffer.from(ed, 'base64'), Buffer.from([0])]).toString('base64');
    expect(parseSshPublicKey(`ssh-ed25519 ${longer}`)).toMatchObject({ ok: false, problem: 'TRAILING_DATA' });
    const ec = Buffer.from(ws.keygen('refuse-ec', 'ecdsa').publicLine.split(' ')[1]!, 'base64');
    ec[ec.length - 1] = ec[ec.length - 1]! ^ 1; // y no longer matches x
    expect(parseSshPublicKey(`ecdsa-sha2-nistp256 ${ec.toString('base64')}`)).toMatchObject({
      ok: false,
      problem: 'MALFORMED',
      message: 'P-256 key is not a point on the curve',
    });
    const shorter = Buffer.from(ed, 'base64').subarray(0, 40).toString('base64');
    expect(parseSshPublicKey(`ssh-ed25519 ${shorter}`)).toMatchObject({ ok: false, problem: 'MALFORMED' });
  });
});
