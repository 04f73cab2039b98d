import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { ActionPlan, ApprovalDecisionNotice, EngineActivities } from '../activities/types';
import { hashJson } from '../domain/canonical-json';
import { FailureType } from '../domain/failures';
import type { CompiledStep } from '../domain/playbook/compiled';
import { failureDecisionGroups, standDownPolicy, standDownPreview } from '../domain/playbook/decisions';
import { resolveExpressions } from '../domain/playbook/expressions';
import { isTrigger } from '../domain/notify/facts';
import { clipText, overLimit } from '../domain/limits';
import { manualSteps, preflightLine, preflightRefuses, preflightSteps } from '../domain/preflight';
import { PHASE, STATUS } from '../domain/search-attributes';
import {
  recordFactUpdate,
  retryStepUpdate,
  skipStepUpdate,
  STAND_DOWN_STEP,
  standDownUpdate,
  statusQuery,
  voteUpdate,
  type ApprovalState,
  type StandDownInput,
  type StandDownResult,
  type VoteInput,
  type FailureState,
  type IncidentInput,
  type IncidentState,
  type IncidentStatus,
  type StepState,
} from './definitions';
import { actionCaller, fanOutItems } from './call-action';
import { watchObligations } from './obligations-watch';
import {
  currentApproval,
  recordStepDecision,
  recordVote,
  refuseTooLong,
  validateStepDecision,
  validateVote,
} from './votes';

/** How many times a plan may change after approval before the step fails instead of asking again. */
const MAX_PLAN_ROUNDS = 3;
/** How many planned changes an approval request shows; the whole plan is in the incident's status. */
const APPROVAL_PREVIEW_ITEMS = 5;

const ENGINE_OPTIONS = { startToCloseTimeout: '30s', retry: { maximumAttempts: 5, initialInterval: '500ms' } } as const;
/**
 * Engine notices (approver lookups, approval requests, timeline events) are regular activities. Steps run
 * concurrently, and a local activity that completes as its workflow task is being completed is resolved in the next
 * activation during the first execution but in the same one on replay (temporalio/sdk-typescript#1744): the steps
 * then interleave differently and replay fails. Activity completions are history events, so their order is the same
 * both ways. Histories recorded before the change (no 'engine-activities' patch marker) replay with local activities.
 */
const engineActivities = proxyActivities<EngineActivities>(ENGINE_OPTIONS);
const engineLocalActivities = proxyLocalActivities<EngineActivities>(ENGINE_OPTIONS);

const nowIso = (): string => new Date().toISOString();

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}

/** The stable code of a failure (an ApplicationFailure's type), looked for down the cause chain. */
function errorCode(err: unknown): string | undefined {
  for (let e = err; e instanceof Error; e = (e as { cause?: unknown }).cause) {
    if (e instanceof ApplicationFailure && e.type) return e.type;
  }
  return undefined;
}

/**
 * The incident workflow: interprets a compiled playbook's step graph. Read-only steps run as soon as their needs
 * succeed; mutating steps run plan → approval (bound to the plan's hash) → apply exactly the approved plan.
 * A failed step waits, failed, for a retry or a skip while everything else runs on; only a stand-down runs the undos
 * of applied steps, in reverse (saga). The event history is the audit ledger.
 *
 * Versioning: running incidents and audited ones replay their history against this code (the worker after an
 * upgrade, `cordon audit verify` years later). Any change to the commands issued for a given history (an activity,
 * local activity, timer, child workflow or search-attribute upsert added, removed or reordered, or a changed
 * activity type or child id) must sit behind `if (patched('<change-id>'))` with the old path kept in the else branch,
 * as `approved-timeline` below does. Changing payload contents or pure state is safe. The replay test over
 * test/fixtures/histories (recorded by `npm run -s fixtures:histories`) catches a change that needed a patch.
 */
export async function incidentWorkflow(input: IncidentInput): Promise<IncidentState> {
  const info = workflowInfo();
  // Decided once, before any step runs, so that a run keeps one kind of engine call for its whole history.
  const engine = patched('engine-activities') ? engineActivities : engineLocalActivities;
  // Approval requests pin the group's principals and keys and issue a nonce; votes on them must be signed. Decided
  // once: histories recorded before signed votes replay with alias-based rounds throughout.
  const signedVotes = patched('signed-votes');
  // Failure pauses, never reverts: a failed step waits for retry or skip and the incident stays open. Histories
  // recorded before (no 'failure-pauses' marker) keep the old path: a failure halts the incident and runs the undos.
  const pauseOnFailure = patched('failure-pauses');
  const steps = input.playbook.steps;
  const state: IncidentState = {
    incidentId: input.incidentId,
    title: input.title,
    severity: input.severity,
    org: input.org,
    initiator: input.initiator,
    since: input.since,
    packages: input.packages,
    advisoryIds: input.advisoryIds,
    playbook: { name: input.playbook.name, version: input.playbook.version, sha256: input.playbookSha256 },
    drill: input.drill,
    status: 'running',
    phase: steps[0]?.phase ?? 'declare',
    startedAt: nowIso(),
    steps: steps.map((s) => ({
      id: s.id,
      name: s.name,
      phase: s.phase,
      action: s.action,
      mutates: s.mutates,
      status: 'pending',
      approvals: [],
    })),
  };
  if (input.facts?.length) state.facts = [...input.facts];
  const stepState = new Map<string, StepState>(state.steps.map((s) => [s.id, s]));
  const compensations: { step: CompiledStep; effects: Record<string, unknown> }[] = [];
  const runScope = new CancellationScope();
  type Halt = { kind: 'stand-down' | 'failure'; reason: string };
  // Assigned from handlers and steps; the cast keeps TypeScript from narrowing it to undefined at the end.
  let halt = undefined as Halt | undefined;
  const haltReason = (): string | undefined => halt?.reason;
  let published = { status: '', phase: '' };

  const publish = (): void => {
    if (!state.finishedAt) {
      state.status = state.steps.some((s) => s.status === 'awaiting-approval') ? 'awaiting-approval' : 'running';
    }
    if (published.status !== state.status || published.phase !== state.phase) {
      upsertSearchAttributes([
        { key: STATUS, value: state.status },
        { key: PHASE, value: state.phase },
      ]);
      published = { status: state.status, phase: state.phase };
    }
  };

  const stopAll = (kind: 'stand-down' | 'failure', reason: string): void => {
    if (halt) return;
    halt = { kind, reason };
    runScope.cancel();
  };

  const timeline = async (
    kind: string,
    text: string,
    stepId?: string,
    approval?: ApprovalDecisionNotice,
  ): Promise<void> => {
    // Notices carry reasons and notes people typed: clipped, so no caller can make an activity input Temporal refuses
    // (which would fail the incident). Recorded notices were all under the cap, so replay sends the same input.
    const votes = approval?.votes.map((v) => (v.reason ? { ...v, reason: clipText(v.reason) } : v));
    await CancellationScope.nonCancellable(() =>
      engine['cordon.timeline']({
        incidentId: input.incidentId,
        at: nowIso(),
        kind,
        text: clipText(text),
        ...(stepId ? { stepId } : {}),
        ...(approval && votes ? { approval: { ...approval, votes } } : {}),
      }),
    );
  };

  // Decided approvals travel with their timeline notice so that notifiers (Slack) can edit the request in place.
  const decisionOf = (a: ApprovalState): ApprovalDecisionNotice => ({
    round: a.round,
    planHash: a.planHash,
    decision: a.decision!,
    decidedBy: a.decidedBy!,
    decidedAt: a.decidedAt!,
    expired: a.expired ?? false,
    votes: a.votes.map((v) => ({
      approver: v.approver,
      decision: v.decision,
      ...(v.reason ? { reason: v.reason } : {}),
    })),
  });

  // Only incidents declared with obligations start clocks: every call below is guarded so that others issue exactly
  // the commands (and await exactly the promises) they always did.
  const obligations = input.obligations
    ? watchObligations(input.obligations, state, (kind, text) => timeline(kind, text))
    : undefined;

  // ---- approvals -------------------------------------------------------------------------------------------------

  const preview = () =>
    standDownPreview(
      input.playbook,
      compensations.map((c) => c.step.id),
    );
  setHandler(statusQuery, () =>
    pauseOnFailure && !halt && !state.finishedAt ? { ...state, standDownPreview: preview() } : state,
  );
  setHandler(
    recordFactUpdate,
    async (f) => {
      (state.facts ??= []).push({ fact: f.fact, by: f.by, at: nowIso(), ...(f.note ? { note: f.note } : {}) });
      if (obligations) await obligations.check();
      return { accepted: true } as const;
    },
    {
      validator: (f) => {
        if (!isTrigger(f.fact)) throw ApplicationFailure.nonRetryable(`unknown fact ${JSON.stringify(f.fact)}`);
        if (!f.by?.trim()) throw ApplicationFailure.nonRetryable('a fact needs who records it');
        const tooLong = overLimit('note', f.note);
        if (tooLong)
          throw ApplicationFailure.create({ type: FailureType.TooLong, message: tooLong, nonRetryable: true });
        const known = state.facts?.find((k) => k.fact === f.fact);
        if (known) throw ApplicationFailure.nonRetryable(`${f.fact} was already recorded by ${known.by}`);
      },
    },
  );
  const decisionClock = (): { incidentId: string; nowMs: number } => ({
    incidentId: input.incidentId,
    nowMs: Date.parse(nowIso()),
  });
  // A decision on a failed step is validated like a vote; the step's loop (runStep) acts on it.
  const decisionValidator = (decision: 'retry' | 'skip') => (d: Parameters<typeof validateStepDecision>[1]) => {
    if (halt || state.finishedAt)
      throw ApplicationFailure.nonRetryable(`incident is already ${halt?.kind ?? state.status}`);
    validateStepDecision(stepState.get(d.stepId), d, decision, input.initiator);
  };
  setHandler(retryStepUpdate, (d) => recordStepDecision(stepState.get(d.stepId)!, d, 'retry', nowIso()), {
    validator: decisionValidator('retry'),
  });
  setHandler(skipStepUpdate, (d) => recordStepDecision(stepState.get(d.stepId)!, d, 'skip', nowIso()), {
    validator: decisionValidator('skip'),
  });
  // Under signed votes a stand-down is a decision: the update opens a request listing exactly the undos it would
  // run, pinned to the stand-down group's principals; votes arrive with stepId 'stand-down'; nothing is undone until
  // its quorum approves.
  let standDownOpening = false;
  const standDownStep = (): StepState | undefined => {
    const r = state.standDownRequest;
    if (!r) return undefined;
    return {
      id: STAND_DOWN_STEP,
      name: 'stand down',
      phase: 'stand-down',
      action: 'cordon.standDown',
      mutates: true,
      status: r.approval.decision ? 'succeeded' : 'awaiting-approval',
      approvals: [r.approval],
    };
  };
  const standDownStale = (): boolean =>
    state.standDownRequest !== undefined && state.standDownRequest.approval.planHash !== hashJson(preview().undos);
  const voteTarget = (stepId: string): StepState | undefined =>
    signedVotes && stepId === STAND_DOWN_STEP ? standDownStep() : stepState.get(stepId);
  const validateAnyVote = (v: VoteInput) => {
    if (signedVotes && v.stepId === STAND_DOWN_STEP) {
      if (halt || state.finishedAt)
        throw ApplicationFailure.nonRetryable(`incident is already ${halt?.kind ?? state.status}`);
      if (standDownStale())
        throw ApplicationFailure.create({
          type: FailureType.StalePlan,
          message: `${FailureType.StalePlan}: the undos changed since the stand-down was requested; request it again`,
          nonRetryable: true,
        });
    }
    return validateVote(voteTarget(v.stepId), v, input.initiator, decisionClock());
  };
  setHandler(
    voteUpdate,
    (v) => {
      const s = voteTarget(v.stepId)!;
      // The validator admitted this vote in this same activation: checking again only finds who cast it.
      const res = recordVote(s, v, nowIso(), validateAnyVote(v));
      const r = state.standDownRequest;
      if (v.stepId === STAND_DOWN_STEP && r && r.approval.decision === 'approved') {
        state.standDown = { by: r.requestedBy, reason: r.reason, at: nowIso() };
        stopAll('stand-down', `stood down by ${r.requestedBy}: ${r.reason}`);
      }
      return res;
    },
    {
      validator: (v) => {
        validateAnyVote(v);
      },
    },
  );
  const openStandDown = async (req: StandDownInput): Promise<StandDownResult> => {
    const policy = standDownPolicy(input.playbook)!;
    standDownOpening = true;
    try {
      const pinned = await engine['cordon.resolvePrincipals']({ group: policy.group, initiator: input.initiator });
      // Membership is checked on the principals as resolved now, not as the requester names themselves.
      if (!pinned.principals.some((p) => Object.values(p.aliases).some((l) => l?.includes(req.by))))
        throw ApplicationFailure.create({
          type: FailureType.NotInGroup,
          message: `${FailureType.NotInGroup}: ${req.by} is not in stand-down group ${policy.group}`,
          nonRetryable: true,
        });
      if (halt || state.finishedAt)
        throw ApplicationFailure.nonRetryable(`incident is already ${halt?.kind ?? state.status}`);
      const undos = preview().undos;
      const requestedAt = nowIso();
      const approval: ApprovalState = {
        round: (state.standDownRequest?.approval.round ?? 0) + 1,
        planHash: hashJson(undos),
        group: policy.group,
        members: pinned.members,
        quorum: policy.quorum,
        separationOfDuties: false,
        requestedAt,
        // A stand-down request does not expire: it stays open until its quorum decides or the incident ends.
        deadline: requestedAt,
        escalated: false,
        votes: [],
        nonce: uuid4(),
        proof: policy.proof,
        principals: pinned.principals,
        ...(pinned.initiatorPrincipal ? { initiatorPrincipal: pinned.initiatorPrincipal } : {}),
        ...(pinned.slackAttestationKey ? { slackAttestationKey: pinned.slackAttestationKey } : {}),
      };
      state.standDownRequest = { requestedBy: req.by, reason: req.reason, requestedAt, undos, approval };
      await engine['cordon.requestApproval']({
        incidentId: input.incidentId,
        stepId: STAND_DOWN_STEP,
        stepName: `stand down: ${req.reason}`,
        action: 'cordon.standDown',
        planHash: approval.planHash,
        summary: undos.length
          ? `stand down, undoing ${undos.map((u) => `${u.stepId} (${u.action})`).join(', ')}`
          : 'stand down (nothing to undo)',
        itemCount: undos.length,
        irreversible: false,
        group: policy.group,
        members: pinned.members,
        quorum: policy.quorum,
        deadline: requestedAt,
        escalated: false,
        round: approval.round,
        nonce: approval.nonce!,
        proof: policy.proof,
        firstItems: undos.slice(0, APPROVAL_PREVIEW_ITEMS),
      });
      return {
        accepted: true,
        undos,
        request: { round: approval.round, nonce: approval.nonce!, planHash: approval.planHash },
      };
    } finally {
      standDownOpening = false;
    }
  };
  setHandler(
    standDownUpdate,
    (req) => {
      if (signedVotes) return openStandDown(req);
      state.standDown = { by: req.by, reason: req.reason, at: nowIso() };
      // Computed before the halt: the undos that will run are those of the steps applied by now.
      const undos = pauseOnFailure ? preview().undos : undefined;
      stopAll('stand-down', `stood down by ${req.by}: ${req.reason}`);
      return { accepted: true as const, ...(undos ? { undos } : {}) };
    },
    {
      validator: (req) => {
        refuseTooLong(req.reason);
        if (!req.by?.trim() || !req.reason?.trim())
          throw ApplicationFailure.nonRetryable('stand-down needs who and why');
        if (halt || state.finishedAt)
          throw ApplicationFailure.nonRetryable(`incident is already ${halt?.kind ?? state.status}`);
        if (!signedVotes) return;
        if (!standDownPolicy(input.playbook))
          throw ApplicationFailure.nonRetryable('the playbook names no group that could approve a stand-down');
        const open = state.standDownRequest && !state.standDownRequest.approval.decision && !standDownStale();
        if (standDownOpening || open)
          throw ApplicationFailure.nonRetryable('a stand-down request is already open: vote on it (stepId stand-down)');
      },
    },
  );

  const awaitApproval = async (
    step: CompiledStep,
    s: StepState,
    plan: ActionPlan,
    planHash: string,
  ): Promise<'approved' | 'rejected'> => {
    const policy = step.approval!;
    const pinned = signedVotes
      ? await engine['cordon.resolvePrincipals']({ group: policy.group, initiator: input.initiator })
      : undefined;
    const members = pinned ? pinned.members : await engine['cordon.resolveApprovers']({ group: policy.group });
    const a: ApprovalState = {
      round: s.approvals.length + 1,
      planHash,
      group: policy.group,
      members,
      quorum: policy.quorum,
      separationOfDuties: policy.separationOfDuties,
      requestedAt: nowIso(),
      deadline: new Date(Date.parse(nowIso()) + policy.timeoutMs).toISOString(),
      escalated: false,
      votes: [],
    };
    if (pinned) {
      a.nonce = uuid4();
      a.proof = policy.proof ?? (step.irreversible ? 'signed' : 'slack');
      a.principals = pinned.principals;
      if (pinned.initiatorPrincipal) a.initiatorPrincipal = pinned.initiatorPrincipal;
      if (pinned.slackAttestationKey) a.slackAttestationKey = pinned.slackAttestationKey;
    }
    s.approvals.push(a);
    s.status = 'awaiting-approval';
    publish();
    const notice = {
      incidentId: input.incidentId,
      stepId: step.id,
      stepName: step.name,
      action: step.action,
      planHash,
      summary: plan.summary,
      itemCount: plan.items.length,
      irreversible: plan.irreversible,
      group: policy.group,
      members,
      quorum: policy.quorum,
      deadline: a.deadline,
      escalated: false,
      firstItems: plan.items.slice(0, APPROVAL_PREVIEW_ITEMS),
      ...(plan.details ? { details: plan.details } : {}),
      ...(a.nonce ? { round: a.round, nonce: a.nonce, proof: a.proof! } : {}),
    };
    await engine['cordon.requestApproval'](notice);
    if (await condition(() => a.decision !== undefined, policy.timeoutMs)) return a.decision!;
    if (policy.escalation) {
      // Escalation resolves the escalation group now: its principals and keys are pinned as of this moment.
      if (pinned) {
        const more = await engine['cordon.resolvePrincipals']({
          group: policy.escalation.group,
          initiator: input.initiator,
        });
        const known = new Set(a.principals!.map((p) => p.id));
        a.principals = [...a.principals!, ...more.principals.filter((p) => !known.has(p.id))];
        a.members = [...new Set([...a.members, ...more.members])];
      } else {
        const extra = await engine['cordon.resolveApprovers']({ group: policy.escalation.group });
        a.members = [...new Set([...a.members, ...extra])];
      }
      a.escalated = true;
      a.escalationGroup = policy.escalation.group;
      a.deadline = new Date(Date.parse(nowIso()) + policy.escalation.timeoutMs).toISOString();
      await timeline('escalated', `approval of ${step.id} escalated to ${policy.escalation.group}`, step.id);
      await engine['cordon.requestApproval']({
        ...notice,
        group: policy.escalation.group,
        members: a.members,
        deadline: a.deadline,
        escalated: true,
      });
      if (await condition(() => a.decision !== undefined, policy.escalation.timeoutMs)) return a.decision!;
    }
    a.decision = policy.onExpiry === 'approve' ? 'approved' : 'rejected';
    a.expired = true;
    a.decidedBy = 'policy:onExpiry';
    a.decidedAt = nowIso();
    await timeline(
      'expired',
      `approval of ${step.id} expired: playbook default is ${policy.onExpiry}`,
      step.id,
      decisionOf(a),
    );
    return a.decision;
  };

  const call = actionCaller({ workflowId: info.workflowId, incidentId: input.incidentId, drill: input.drill });

  // ---- running steps -----------------------------------------------------------------------------------------------

  const expressionScope = (): Parameters<typeof resolveExpressions>[1] => ({
    incident: {
      id: input.incidentId,
      org: input.org,
      since: input.since,
      until: input.until ?? null,
      severity: input.severity,
      packages: input.packages,
      advisoryIds: input.advisoryIds,
      initiator: input.initiator,
      drill: input.drill,
    },
    steps: Object.fromEntries(state.steps.map((s) => [s.id, { output: s.output ?? s.effects ?? null }])),
  });

  // A retried step's read-only fan-outs start fresh child workflows (a batch of the failed attempt may still run);
  // its apply keeps the tag, and so the idempotency keys, of the first attempt: a retried apply never acts twice.
  const attemptTag = (tag: string, attempt: number): string => (attempt > 1 ? `retry-${attempt}-${tag}` : tag);

  const runMutating = async (
    step: CompiledStep,
    s: StepState,
    stepInput: Record<string, unknown>,
    attempt: number,
  ): Promise<void> => {
    const items = fanOutItems(step, expressionScope());
    const plan = async (round: number): Promise<ActionPlan> =>
      (await call(
        step,
        step.action,
        'plan',
        { input: stepInput },
        items && { items, field: 'input', tag: attemptTag(`plan-${round}`, attempt) },
      )) as ActionPlan;
    let proposed = await plan(1);
    for (let round = 1; round <= MAX_PLAN_ROUNDS; round++) {
      const planHash = hashJson(proposed);
      s.plan = {
        hash: planHash,
        summary: proposed.summary,
        itemCount: proposed.items.length,
        irreversible: proposed.irreversible,
        items: proposed.items,
        ...(proposed.details ? { details: proposed.details } : {}),
      };
      if ((await awaitApproval(step, s, proposed, planHash)) === 'rejected') {
        s.status = 'rejected';
        s.finishedAt = nowIso();
        const a = currentApproval(s)!;
        await timeline(
          'rejected',
          `${step.id} rejected by ${a.decidedBy}${a.votes.at(-1)?.reason ? `: ${a.votes.at(-1)!.reason}` : ''}`,
          step.id,
          decisionOf(a),
        );
        if (step.onReject === 'halt')
          stopAll('stand-down', `step ${step.id} was rejected and the playbook halts on rejection`);
        return;
      }
      // Histories recorded before approvals were announced replay without this notice.
      const approved = currentApproval(s)!;
      if (!approved.expired && patched('approved-timeline')) {
        const by = approved.votes.filter((v) => v.decision === 'approve').map((v) => v.approver);
        await timeline('approved', `${step.id} approved by ${by.join(', ')}`, step.id, decisionOf(approved));
      }
      // Apply only what was approved: if the world moved since the plan was made, ask again.
      s.status = 'applying';
      publish();
      const fresh = await plan(round + 1);
      if (hashJson(fresh) !== planHash) {
        s.note = `plan changed after approval round ${round}; approval requested again`;
        await timeline('plan-changed', `${step.id}: ${s.note}`, step.id);
        proposed = fresh;
        continue;
      }
      // Once started, an apply finishes even if the incident is stood down, so that its undo knows what it did.
      const effects = (await CancellationScope.nonCancellable(() =>
        call(
          step,
          step.action,
          'apply',
          { plan: proposed, planHash },
          items && { items: proposed.items, field: 'plan', tag: 'apply' },
        ),
      )) as Record<string, unknown>;
      s.effects = effects ?? {};
      if (step.undo) compensations.push({ step, effects: s.effects });
      s.status = 'succeeded';
      return;
    }
    throw ApplicationFailure.nonRetryable(
      `plan of ${step.id} kept changing after approval (${MAX_PLAN_ROUNDS} rounds)`,
    );
  };

  const runStep = async (step: CompiledStep, needs: Promise<void>[]): Promise<void> => {
    await Promise.all(needs);
    const s = stepState.get(step.id)!;
    // A manual step is done by people outside cordon: what needs it goes on, as after a success.
    const blocked = step.needs
      .map((n) => stepState.get(n)!)
      .filter((d) => d.status !== 'succeeded' && d.status !== 'manual');
    if (halt || blocked.length > 0) {
      s.status = halt ? 'cancelled' : 'skipped';
      s.note = halt ? halt.reason : `needs ${blocked.map((d) => `${d.id} (${d.status})`).join(', ')}`;
      return;
    }
    // Left to people at pre-flight: shown in the status and the timeline, its handler is never called.
    if (s.status === 'manual') {
      await timeline('step-manual', `${step.id} is left to people: ${s.note ?? 'missing configuration'}`, step.id);
      return;
    }
    if (step.delayMs) {
      // A durable timer: a worker restart or a replay resumes the wait, it never starts over or is skipped.
      s.note = `starts after its delay, at ${new Date(Date.parse(nowIso()) + step.delayMs).toISOString()}`;
      try {
        await sleep(step.delayMs);
      } catch (err) {
        if (!isCancellation(err)) throw err;
        s.status = 'cancelled';
        s.note = haltReason() ?? 'cancelled';
        return;
      }
      delete s.note;
    }
    // One pass per attempt: a failed step waits for a decision, and a retry runs it again from the start.
    for (let attempt = 1; ; attempt++) {
      let failed = false;
      s.status = 'running';
      s.startedAt = nowIso();
      state.phase = step.phase;
      publish();
      await timeline('step-started', `${step.id} started (${step.action})`, step.id);
      try {
        const stepInput = resolveExpressions(step.inputs, expressionScope()) as Record<string, unknown>;
        if (step.mutates) {
          await runMutating(step, s, stepInput, attempt);
        } else {
          const items = fanOutItems(step, expressionScope());
          s.output = await call(
            step,
            step.action,
            'run',
            { input: stepInput },
            items && { items, field: 'input', tag: attemptTag('run', attempt) },
          );
          s.status = 'succeeded';
        }
        if (s.status === 'succeeded') {
          s.finishedAt = nowIso();
          await timeline('step-finished', `${step.id} succeeded`, step.id);
          if (obligations) await obligations.check();
        }
      } catch (err) {
        s.finishedAt = nowIso();
        if (isCancellation(err)) {
          s.status = 'cancelled';
          s.note = haltReason() ?? 'cancelled';
          return;
        }
        s.status = 'failed';
        s.error = errorText(err);
        const code = errorCode(err);
        if (code && pauseOnFailure) s.errorCode = code;
        await timeline('step-failed', `${step.id} failed: ${s.error}`, step.id);
        if (!pauseOnFailure) {
          if (!step.continueOnError) stopAll('failure', `step ${step.id} failed: ${s.error}`);
          return;
        }
        failed = true;
      } finally {
        publish();
      }
      if (!failed || (await awaitFailureDecision(step, s, attempt)) !== 'retry') return;
    }
  };

  /**
   * A failed step waits here, failed, until someone in its decision groups retries or skips it, or the incident is
   * stood down. Nothing already applied is undone, and steps that do not need this one run on.
   */
  const awaitFailureDecision = async (
    step: CompiledStep,
    s: StepState,
    attempt: number,
  ): Promise<'retry' | 'skip' | 'halted'> => {
    try {
      const groups = failureDecisionGroups(input.playbook, step.id);
      const members: string[] = [];
      for (const group of groups) members.push(...(await engine['cordon.resolveApprovers']({ group })));
      const f: FailureState = {
        attempt,
        error: s.error ?? 'failed',
        ...(s.errorCode ? { code: s.errorCode } : {}),
        at: nowIso(),
        groups,
        // A playbook without approvers leaves the decision to whoever declared the incident.
        members: groups.length > 0 ? [...new Set(members)] : [input.initiator],
        separationOfDuties: step.approval?.separationOfDuties ?? false,
      };
      (s.failures ??= []).push(f);
      publish();
      await condition(() => f.decision !== undefined);
      if (f.decision === 'skip') {
        s.status = 'skipped';
        s.note = `skipped after failing, by ${f.decidedBy}: ${f.reason ?? ''}`;
        s.finishedAt = nowIso();
        await timeline('step-skipped', `${step.id} ${s.note}`, step.id);
        return 'skip';
      }
      // A retry starts from the plan: the world may have changed since the failure (that is often why it failed), so
      // a mutating step plans again and asks for approval of the new plan before applying anything.
      delete s.error;
      delete s.errorCode;
      delete s.finishedAt;
      await timeline('step-retried', `${step.id} retried by ${f.decidedBy} (attempt ${attempt + 1})`, step.id);
      return 'retry';
    } catch (err) {
      if (!isCancellation(err)) throw err;
      // Stood down while waiting: the step stays failed with its error.
      s.note = haltReason() ?? 'cancelled';
      return 'halted';
    } finally {
      publish();
    }
  };

  const compensate = async (): Promise<void> => {
    for (const { step, effects } of [...compensations].reverse()) {
      const s = stepState.get(step.id)!;
      // A step may keep its change through a stand-down (a revoked credential stays revoked).
      if (halt?.kind === 'stand-down' && step.undoOnStandDown === false) {
        s.note = 'kept in place on stand-down (undoOnStandDown: false)';
        continue;
      }
      try {
        const undoInput = resolveExpressions(step.undo!.inputs, expressionScope()) as Record<string, unknown>;
        s.undoEffects = (await call(step, step.undo!.action, 'undo', { effects, input: undoInput })) as Record<
          string,
          unknown
        >;
        s.status = 'compensated';
        await timeline('compensated', `${step.id} undone by ${step.undo!.action}`, step.id);
      } catch (err) {
        s.status = 'compensation-failed';
        s.error = errorText(err);
        await timeline('compensation-failed', `undo of ${step.id} failed: ${s.error}`, step.id);
      }
    }
  };

  // ---- main ----------------------------------------------------------------------------------------------------------

  // Pre-flight, before anything runs: the worker checks every step against its configuration (and a drill against
  // its sandboxes). Missing pieces refuse the incident, or, when the declarer allowed them, leave their steps to
  // people. `cordon declare` waits for `state.preflight`. Histories from before pre-flight replay without it.
  if (patched('preflight')) {
    const result = await engine['cordon.preflight']({ drill: input.drill, steps: preflightSteps(steps) });
    const refused = preflightRefuses(result, input.allowMissing ?? false);
    const manual = refused ? new Set<string>() : manualSteps(result);
    state.preflight = { problems: result.problems, refused, manual: [...manual] };
    for (const s of state.steps) {
      if (refused) Object.assign(s, { status: 'cancelled', note: 'refused at pre-flight' });
      else if (manual.has(s.id)) {
        s.status = 'manual';
        s.note = result.problems
          .filter((p) => p.steps.includes(s.id))
          .map((p) => p.message)
          .join('; ');
      }
    }
    if (refused) {
      state.status = 'refused';
      state.finishedAt = nowIso();
      publish();
      const lines = result.problems.map(preflightLine);
      await timeline('refused', `incident ${input.incidentId} refused at pre-flight:\n${lines.join('\n')}`);
      await condition(allHandlersFinished);
      return state;
    }
  }

  publish();
  await timeline('declared', `incident ${input.incidentId} declared by ${input.initiator}: ${input.title}`);
  if (obligations) await obligations.check();
  const done = new Map<string, Promise<void>>();
  try {
    await runScope.run(async () => {
      for (const step of steps)
        done.set(
          step.id,
          runStep(
            step,
            step.needs.map((n) => done.get(n)!),
          ),
        );
      await Promise.all(done.values());
    });
  } catch (err) {
    if (!isCancellation(err)) throw err;
  }
  // Steps still pending when a halt cancelled the run never started.
  for (const s of state.steps)
    if (s.status === 'pending') Object.assign(s, { status: 'cancelled', note: halt?.reason });

  let finalStatus: IncidentStatus = 'completed';
  if (halt) {
    await CancellationScope.nonCancellable(compensate);
    finalStatus = halt.kind === 'stand-down' ? 'stood-down' : 'failed';
    if (halt.kind === 'failure') state.failure = halt.reason;
  }
  state.status = finalStatus;
  state.finishedAt = nowIso();
  publish();
  // Compensations and late facts may have made more triggers true.
  if (obligations) await obligations.check();
  await timeline('closed', `incident ${input.incidentId} ${finalStatus}`);
  // Let in-flight vote/stand-down handlers answer before the workflow closes.
  await condition(allHandlersFinished);
  return state;
}
