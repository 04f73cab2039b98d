import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { signVote, sshSign } from '../../../client/sign';
import { parseSshPublicKey } from '../../../domain/signing/ssh-key';
import { verifySshsig, VOTE_NAMESPACE } from '../../../domain/signing/sshsig';
import { verifyVoteSignature } from '../../../domain/signing/verify-vote';
import type { VotePayload } from '../../../domain/signing/vote-payload';
import { sshWorkspace, type SshKeyFiles, type SshWorkspace } from '../domain/signing/ssh-fixtures';

const PAYLOAD: VotePayload = {
  v: 1,
  incidentId: 'incident-mastra',
  stepId: 'disable-workflows',
  round: 0,
  planHash: 'c'.repeat(64),
  decision: 'approve',
  reason: '',
  time: '2026-06-17T10:00:00.000Z',
  nonce: 'req-1',
};

function allowed(files: SshKeyFiles) {
  const k = parseSshPublicKey(files.publicLine);
  if (!k.ok) throw new Error(k.message);
  return k.key;
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sshSign (the real ssh-keygen -Y sign)', () => {
  let ws: SshWorkspace;
  let ed: SshKeyFiles;
  let ec: SshKeyFiles;
  beforeAll(() => {
    ws = sshWorkspace();
    ed = ws.keygen('ed', 'ed25519');
    ec = ws.keygen('ec', 'ecdsa');
  });
  afterAll(() => ws.cleanup());

  it.each([
    ['Ed25519', () => ed],
    ['ECDSA P-256', () => ec],
  ])(
    'signs a vote with a %s private key file, and the pure verifier and ssh-keygen -Y verify both accept it',
    async (_n, files) => {
      const signed = await signVote(PAYLOAD, { keyFile: files().privateKey });
      expect(signed.signature.kind).toBe('sshsig');
      const key = allowed(files());
      const result = verifyVoteSignature(signed.payload, signed.signature, {
        request: PAYLOAD,
        vote: { decision: 'approve', reason: '' },
        principal: {
          id: 'alice',
          aliases: { cli: ['alice'], slack: [], email: [] },
          keys: { ssh: [key], webauthn: [] },
        },
      });
      expect(result).toEqual({ ok: true, key: { kind: 'ssh', fingerprint: ws.fingerprint(files()) } });
      const bytes = Buffer.from(
        '{"decision":"approve","incidentId":"incident-mastra","nonce":"req-1","planHash":"' +
          'c'.repeat(64) +
          '","reason":"","round":0,"stepId":"disable-workflows","time":"2026-06-17T10:00:00.000Z","v":1}',
      );
      expect(ws.sshVerify(signed.signature.armored, bytes, VOTE_NAMESPACE, files())).toBe(true);
    },
  );

  it('signs through ssh-agent when given the public key file and SSH_AUTH_SOCK', async () => {
    const sock = path.join(ws.dir, 'agent.sock');
    // -D keeps the agent in the foreground, so this test owns its process and stops it by pid.
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      await until(() => existsSync(sock));
      const env = { ...process.env, SSH_AUTH_SOCK: sock };
      execFileSync('ssh-add', ['-q', ed.privateKey], { env, stdio: 'ignore' });
      const armored = await sshSign(Buffer.from('hello'), { keyFile: ed.publicKeyFile, env });
      expect(
        verifySshsig(armored, { message: Buffer.from('hello'), namespace: VOTE_NAMESPACE, allowedKeys: [allowed(ed)] })
          .ok,
      ).toBe(true);
      // A key the agent does not hold cannot sign from its public half (no private key file beside it either).
      const lonely = path.join(ws.dir, 'lonely.pub');
      copyFileSync(ec.publicKeyFile, lonely);
      await expect(sshSign(Buffer.from('hello'), { keyFile: lonely, env })).rejects.toMatchObject({
        code: 'E_SIGN_FAILED',
      });
    } finally {
      agent.kill();
    }
  });

  it('fails with one clear line when ssh-keygen is missing', async () => {
    await expect(
      sshSign(Buffer.from('x'), { keyFile: ed.privateKey, sshKeygen: path.join(ws.dir, 'no-such-ssh-keygen') }),
    ).rejects.toMatchObject({
      code: 'E_SSH_KEYGEN_MISSING',
      category: 'operational',
      message: expect.stringMatching(/no-such-ssh-keygen not found: install OpenSSH/),
    });
  });

  it("fails with ssh-keygen's own last line when the key cannot sign", async () => {
    const missing = path.join(ws.dir, 'missing-key');
    const err = (await sshSign(Buffer.from('x'), { keyFile: missing }).catch((e: unknown) => e)) as Error & {
      code: string;
    };
    expect(err.code).toBe('E_SIGN_FAILED');
    expect(err.message).toMatch(new RegExp(`^signing with ${missing} failed: .+`));
    expect(err.message).not.toContain('\n');
  });
});
