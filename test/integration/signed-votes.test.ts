// Signed votes on a real Temporal server, sent as raw @temporalio/client updates (what a short script could send):
// only a vote signed by the voter's own pinned key counts, and one human counts once whatever alias they use.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { signVote } from '../../client/sign';
import { payloadFor } from '../../client/incidents';
import {
  STAND_DOWN_STEP,
  standDownUpdate,
  statusQuery,
  voteUpdate,
  type IncidentState,
  type VoteInput,
} from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { compileForTest, eventually, incidentInput, startEngine, type TestEngine } from '../harness/engine';
import { keyFileOf, signedVote, type TestUser } from '../harness/people';
import { newWorld, TEST_CATALOG, testActions, type World } from '../harness/test-actions';

const GROUPS = { oncall: ['alice', 'bob', 'carol'] };
const PLAYBOOK = `
apiVersion: cordon/v1
kind: Playbook
name: signed-votes
version: 1
phases: [contain]
steps:
  - id: change
    phase: contain
    action: test.change
    mutates: true
    undo: { action: test.restore }
    approval: { group: oncall, quorum: 2, separationOfDuties: true, timeout: 10m, onExpiry: reject }
`;

let engine: TestEngine;
let world: World;

beforeAll(async () => {
  world = newWorld();
  engine = await startEngine(testActions(world), GROUPS);
});
afterAll(async () => engine.stop());

// A second step keeps the incident open (waiting for its approval) once the first is applied.
const TWO_STEPS = `${PLAYBOOK}
  - id: change-2
    phase: contain
    action: test.change
    needs: [change]
    mutates: true
    undo: { action: test.restore }
    approval: { group: oncall, quorum: 1, separationOfDuties: true, timeout: 10m, onExpiry: reject }
`;

async function start(yaml = PLAYBOOK) {
  const input = incidentInput(compileForTest(yaml, TEST_CATALOG));
  const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
    taskQueue: engine.taskQueue,
    workflowId: input.incidentId,
    args: [input],
  });
  const state = await eventually(async () => {
    const s: IncidentState = await h.query(statusQuery);
    return s.steps[0]!.status === 'awaiting-approval' ? s : undefined;
  });
  return { h, state, planHash: state.steps[0]!.approvals[0]!.planHash };
}

const refusal = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((err as WorkflowUpdateFailedError).cause as unknown as { type: string }).type;
  }
  return 'accepted';
};

describe('signed votes through raw updates', () => {
  it('pins the group’s principals and a nonce with the request, and announces both', async () => {
    const { state, h } = await start();
    const a = state.steps[0]!.approvals[0]!;
    expect(a).toMatchObject({ proof: 'slack', initiatorPrincipal: 'alice' });
    expect(a.nonce).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.principals!.map((p) => p.id)).toEqual(['alice', 'bob', 'carol']);
    await eventually(async () => engine.notifier.approvals.find((n) => n.nonce === a.nonce));
    await h.terminate('test over');
  });

  it('refuses a missing signature, a forged one, another person’s key, a stale nonce, a second alias and the declarer’s Slack alias; counts a real signature', async () => {
    const { h, planHash } = await start();
    const vote = (over: Partial<VoteInput> = {}): VoteInput => ({
      stepId: 'change',
      planHash,
      approver: 'bob',
      decision: 'approve',
      channel: 'api',
      ...over,
    });
    const send = (v: VoteInput) => h.executeUpdate(voteUpdate, { args: [v] });
    const signedBy = async (signer: TestUser, v: VoteInput) => signedVote(h, v, signer);

    expect(await refusal(send(vote()))).toBe('SIGNATURE_REQUIRED');
    const genuine = await signedBy('bob', vote());
    const forged = { ...genuine, payload: { ...genuine.payload!, reason: 'not what bob signed' } };
    expect(await refusal(send(forged))).toBe('BAD_SIGNATURE');
    expect(await refusal(send(await signedBy('carol', vote())))).toBe('UNKNOWN_KEY');
    const state: IncidentState = await h.query(statusQuery);
    const stale = payloadFor(state, vote())!;
    stale.nonce = '00000000-0000-4000-8000-000000000000';
    const { signature } = await signVote(stale, { keyFile: keyFileOf('bob') });
    expect(
      await refusal(send({ ...vote(), payload: stale, proof: { kind: 'ssh', signature: signature.armored } })),
    ).toBe('STALE_NONCE');
    expect(await refusal(send(await signedBy('alice', vote({ approver: 'U0ALICE', channel: 'slack' }))))).toBe(
      'SEPARATION_OF_DUTIES',
    );
    expect(await refusal(send(await signedBy('mallory', vote({ approver: 'mallory' }))))).toBe('NOT_IN_GROUP');

    // Nothing refused was recorded; bob's genuine vote counts once, under any alias.
    expect(await send(genuine)).toMatchObject({ accepted: true, approvals: 1, quorum: 2 });
    expect(await refusal(send(await signedBy('bob', vote({ approver: 'U0BOB', channel: 'slack' }))))).toBe(
      'ALIAS_OF_VOTER',
    );
    expect(world.applied).toEqual([]);
    expect(await send(await signedBy('carol', vote({ approver: 'carol' })))).toMatchObject({ decision: 'approved' });
    const final = await h.result();
    expect(final.status).toBe('completed');
    expect(final.steps[0]!.approvals[0]!.votes.map((v) => [v.approver, v.principal, v.proof])).toEqual([
      ['bob', 'bob', 'ssh'],
      ['carol', 'carol', 'ssh'],
    ]);
    expect(world.applied).toHaveLength(1);
  });

  it('stands down only once the stand-down group approves: a stranger is refused and nothing is undone', async () => {
    const { h, planHash } = await start(TWO_STEPS);
    for (const who of ['bob', 'carol'] as const)
      await h.executeUpdate(voteUpdate, {
        args: [await signedVote(h, { stepId: 'change', planHash, approver: who, decision: 'approve', channel: 'api' })],
      });
    await eventually(async () => (await h.query(statusQuery)).steps[1]!.status === 'awaiting-approval');
    // mallory is nobody in the stand-down group (the playbook's only group, oncall): refused, nothing opened.
    expect(await refusal(h.executeUpdate(standDownUpdate, { args: [{ by: 'mallory', reason: 'chaos' }] }))).toBe(
      'NOT_IN_GROUP',
    );
    const res = await h.executeUpdate(standDownUpdate, { args: [{ by: 'bob', reason: 'false positive' }] });
    expect(res.undos).toEqual([{ stepId: 'change', action: 'test.restore' }]);
    expect(res.request).toMatchObject({ round: 1, nonce: expect.any(String) });
    const open: IncidentState = await h.query(statusQuery);
    expect(open.standDownRequest).toMatchObject({
      requestedBy: 'bob',
      reason: 'false positive',
      undos: [{ stepId: 'change', action: 'test.restore' }],
      approval: { group: 'oncall', quorum: 1, proof: 'signed', votes: [] },
    });
    // A signed vote by someone outside the pinned group, and an unsigned one, change nothing.
    const sd = {
      stepId: STAND_DOWN_STEP,
      planHash: res.request!.planHash,
      decision: 'approve',
      channel: 'api',
    } as const;
    expect(
      await refusal(h.executeUpdate(voteUpdate, { args: [await signedVote(h, { ...sd, approver: 'mallory' })] })),
    ).toBe('NOT_IN_GROUP');
    expect(await refusal(h.executeUpdate(voteUpdate, { args: [{ ...sd, approver: 'carol' }] }))).toBe(
      'SIGNATURE_REQUIRED',
    );
    expect(world.undone).toEqual([]);
    expect((await h.query(statusQuery)).status).not.toBe('stood-down');
    await h.executeUpdate(voteUpdate, { args: [await signedVote(h, { ...sd, approver: 'carol' })] });
    const final = await h.result();
    expect(final.status).toBe('stood-down');
    expect(final.standDown).toMatchObject({ by: 'bob', reason: 'false positive' });
    expect(final.standDownRequest!.approval.votes).toEqual([
      expect.objectContaining({ approver: 'carol', principal: 'carol', proof: 'ssh' }),
    ]);
    expect(world.undone.map((u) => u.key.split('/').pop())).toEqual(['change']);
  });
});
