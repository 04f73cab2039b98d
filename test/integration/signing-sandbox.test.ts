// The vote validator will verify signatures inside Temporal's workflow sandbox, where Node's crypto and Buffer do
// not exist: this runs the pure verifier there, on a real server, with an SSH signature and a passkey assertion.
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { PinnedPrincipal } from '../../domain/approvers';
import { parseSshPublicKey } from '../../domain/signing/ssh-key';
import { VOTE_NAMESPACE } from '../../domain/signing/sshsig';
import type { VoteExpectation } from '../../domain/signing/verify-vote';
import { voteChallenge, votePayloadBytes, type VotePayload } from '../../domain/signing/vote-payload';
import { temporalAddress } from '../harness/engine';
import { sshWorkspace, type SshWorkspace } from '../unit/domain/signing/ssh-fixtures';
import { assert, authenticator, ORIGIN, RP_ID } from '../unit/domain/signing/webauthn-fixtures';
import type { verifyVoteInSandbox } from './signing-sandbox/workflows';

const PAYLOAD: VotePayload = {
  v: 1,
  incidentId: 'incident-axios',
  stepId: 'rotate-aws-keys',
  round: 0,
  planHash: 'e'.repeat(64),
  decision: 'approve',
  reason: '',
  time: '2026-03-31T12:00:00.000Z',
  nonce: 'req-7',
};

describe('vote signatures inside the workflow sandbox', () => {
  let ws: SshWorkspace;
  beforeAll(() => {
    ws = sshWorkspace();
  });
  afterAll(() => ws.cleanup());

  it('verifies Ed25519, P-256 SSH signatures and an ES256 passkey, and refuses a tampered one', async () => {
    const ed = ws.keygen('ed', 'ed25519');
    const ec = ws.keygen('ec', 'ecdsa');
    const passkey = authenticator('p256', 'pk-1');
    const keys = [ed, ec].map((f) => {
      const k = parseSshPublicKey(f.publicLine);
      if (!k.ok) throw new Error(k.message);
      return k.key;
    });
    const principal: PinnedPrincipal = {
      id: 'ana',
      aliases: { cli: ['ana'], slack: [], email: [] },
      keys: { ssh: keys, webauthn: [passkey.credential] },
    };
    const expectation: VoteExpectation = {
      request: PAYLOAD,
      vote: { decision: 'approve', reason: '' },
      principal,
      webauthn: { rpId: RP_ID, origins: [ORIGIN] },
    };
    const bytes = votePayloadBytes(PAYLOAD);
    const taskQueue = `signing-sandbox-${randomUUID()}`;
    // Webpack's module listing is noise in test output; errors still throw from bundleWorkflowCode.
    const noop = (): void => undefined;
    const quiet = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./signing-sandbox/workflows'),
      logger: quiet,
    });
    const native = await NativeConnection.connect({ address: temporalAddress() });
    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle });
    const connection = await Connection.connect({ address: temporalAddress() });
    const client = new Client({ connection });
    const run = (signature: Parameters<typeof verifyVoteInSandbox>[1], payload: unknown = PAYLOAD) =>
      client.workflow.execute<typeof verifyVoteInSandbox>('verifyVoteInSandbox', {
        taskQueue,
        workflowId: `verify-${randomUUID()}`,
        args: [payload, signature, expectation],
      });
    try {
      await worker.runUntil(async () => {
        expect(await run({ kind: 'sshsig', armored: ws.sign(ed, bytes, VOTE_NAMESPACE) })).toEqual({
          ok: true,
          key: { kind: 'ssh', fingerprint: ws.fingerprint(ed) },
        });
        expect(await run({ kind: 'sshsig', armored: ws.sign(ec, bytes, VOTE_NAMESPACE, 'sha256') })).toEqual({
          ok: true,
          key: { kind: 'ssh', fingerprint: ws.fingerprint(ec) },
        });
        expect(await run({ kind: 'webauthn', assertion: assert(passkey, {}, voteChallenge(PAYLOAD)) })).toMatchObject({
          ok: true,
          key: { kind: 'webauthn', credentialId: 'pk-1' },
        });
        const edited = { ...PAYLOAD, time: '2026-03-31T12:00:01.000Z' };
        expect(await run({ kind: 'sshsig', armored: ws.sign(ed, bytes, VOTE_NAMESPACE) }, edited)).toMatchObject({
          ok: false,
          code: 'BAD_SIGNATURE',
        });
      });
    } finally {
      await connection.close();
      await native.close();
    }
  });
});
