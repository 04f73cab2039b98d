import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { hashJson } from '../domain/canonical-json';
import { overLimit } from '../domain/limits';
import { compilePlaybook, formatProblem } from '../domain/playbook';
import { ORG, PACKAGES, PHASE, SEVERITY, STATUS } from '../domain/search-attributes';
import {
  retryStepUpdate,
  skipStepUpdate,
  STAND_DOWN_STEP,
  standDownUpdate,
  statusQuery,
  voteUpdate,
  type AffectedPackage,
  type IncidentInput,
  type IncidentState,
  type Severity,
  type StandDownResult,
  type StepDecisionInput,
  type StepDecisionResult,
  type VoteInput,
  type VoteResult,
} from '../workflows/definitions';
import type { incidentWorkflow } from '../workflows/incident';
import { ErrorCode, OperationalError, UserError, VoteRefused } from '../config/errors';
import { preflightLine } from '../domain/preflight';
import type { VotePayload } from '../domain/signing/vote-payload';
import type { DecisionSigner } from './attest';
import { signVote, type SshSignOptions } from './sign';
import type { CompiledObligations } from '../domain/notify';

/** The playbook cordon runs when none is named. */
export const DEFAULT_PLAYBOOK = path.resolve(__dirname, '../playbooks/supply-chain-compromise.yaml');

/** What a declaration needs; the same for the CLI and the Slack slash command. */
export interface Declaration {
  packages: AffectedPackage[];
  org: string;
  since: string;
  until?: string;
  severity: Severity;
  initiator: string;
  title?: string;
  advisoryIds?: string[];
  playbookFile?: string;
  /** How problems in the playbook name its file (the path as the user typed it). @default playbookFile */
  playbookLabel?: string;
  drill?: boolean;
  /** Explicit incident id (slug or `incident-<slug>`); derived from org + packages otherwise. */
  id?: string;
  /** Notice obligations whose clocks the incident starts as their triggers hold; none when absent. */
  obligations?: CompiledObligations;
  /** Declare even if pre-flight finds configuration missing: the steps needing it become `manual`. @default false */
  allowMissing?: boolean;
  /** How long to wait for the worker's pre-flight answer. @default 60_000 */
  preflightTimeoutMs?: number;
}

/** What a declaration started (or joined). */
export interface Declared {
  incidentId: string;
  joined: boolean;
  runId: string;
  playbookSha256: string;
  /** Steps left to people because pre-flight found their configuration missing (only with `allowMissing`). */
  manual?: string[];
  /** One line per missing piece pre-flight found (only with `allowMissing`; otherwise the declaration is refused). */
  missing?: string[];
}

/** Reads and compiles a playbook file, or throws a UserError listing every problem with file:line:col. */
export function loadPlaybook(file: string, label = file): { playbook: IncidentInput['playbook']; sha256: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(
      `cannot read playbook ${label}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      ErrorCode.Playbook,
    );
  }
  const result = compilePlaybook(text, label);
  if (!result.ok) throw new UserError(result.problems.map(formatProblem).join('\n'), ErrorCode.Playbook);
  return { playbook: result.playbook, sha256: result.sha256 };
}

/**
 * The incident id for a declaration: the same org and packages always give the same id, so declaring the same
 * advisory twice joins the running incident instead of starting a second one.
 */
export function incidentIdFor(d: Pick<Declaration, 'org' | 'packages' | 'id'>): string {
  if (d.id) return d.id.startsWith('incident-') ? d.id : `incident-${d.id}`;
  const first = d.packages[0];
  const name = (first?.name ?? 'unknown')
    .replace(/^@/, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
  const key = hashJson({
    org: d.org,
    packages: [...d.packages].sort((a, b) => `${a.ecosystem}:${a.name}`.localeCompare(`${b.ecosystem}:${b.name}`)),
  });
  return `incident-${d.org.toLowerCase()}-${name}-${key.slice(0, 8)}`;
}

/**
 * Starts (or joins) the incident workflow for a declaration, and waits for the worker's pre-flight answer: a
 * refusal (configuration missing, or a drill reaching a real system) throws a UserError with one line per missing
 * piece, and the incident has ended without running anything.
 */
export async function declareIncident(client: Client, taskQueue: string, d: Declaration): Promise<Declared> {
  if (d.packages.length === 0)
    throw new UserError(
      'declare needs at least one affected package (--package ecosystem:name@version)',
      ErrorCode.Declare,
    );
  if (Number.isNaN(Date.parse(d.since)))
    throw new UserError(`--since ${d.since}: expected an ISO 8601 time`, ErrorCode.Declare);
  const tooLong = overLimit('title', d.title);
  if (tooLong) throw new UserError(`declare refused: ${tooLong}`, ErrorCode.TooLong);
  const { playbook, sha256 } = loadPlaybook(d.playbookFile ?? DEFAULT_PLAYBOOK, d.playbookLabel);
  const incidentId = incidentIdFor(d);
  const input: IncidentInput = {
    incidentId,
    title: d.title ?? `${d.packages.map((p) => `${p.name}@${p.versions.join('|')}`).join(', ')} in ${d.org}`,
    initiator: d.initiator,
    severity: d.severity,
    org: d.org,
    since: new Date(d.since).toISOString(),
    packages: d.packages,
    advisoryIds: d.advisoryIds ?? [],
    playbook,
    playbookSha256: sha256,
    drill: d.drill ?? false,
  };
  if (d.until) input.until = new Date(d.until).toISOString();
  if (d.obligations) input.obligations = d.obligations;
  if (d.allowMissing) input.allowMissing = true;
  const declarationId = randomUUID();
  const handle = await client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
    taskQueue,
    memo: { declarationId },
    workflowId: incidentId,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    typedSearchAttributes: [
      { key: SEVERITY, value: d.severity },
      { key: PACKAGES, value: d.packages.map((p) => `${p.ecosystem}:${p.name}`) },
      { key: ORG, value: d.org },
      { key: STATUS, value: 'running' },
      { key: PHASE, value: playbook.steps[0]?.phase ?? 'declare' },
    ],
  });
  // USE_EXISTING returns the running execution: it is a new incident only if it carries our declaration's id.
  const described = await handle.describe();
  const joined = described.memo?.declarationId !== declarationId;
  const declared: Declared = { incidentId, joined, runId: handle.firstExecutionRunId, playbookSha256: sha256 };
  // A joined incident passed (or predates) its own pre-flight when it was first declared.
  if (joined) return declared;
  const preflight = await awaitPreflight(handle, incidentId, taskQueue, d.preflightTimeoutMs ?? 60_000);
  const lines = preflight.problems.map(preflightLine);
  if (preflight.refused)
    throw new UserError(
      `${incidentId} refused at pre-flight, nothing ran (one line per missing piece):\n${lines.join('\n')}`,
      ErrorCode.Preflight,
    );
  if (preflight.manual.length > 0) Object.assign(declared, { manual: preflight.manual, missing: lines });
  return declared;
}

// The pre-flight runs in the worker, which has the configuration the declarer's shell may lack: the answer is in
// the incident's status once the first activity completes.
async function awaitPreflight(
  handle: WorkflowHandle<typeof incidentWorkflow>,
  incidentId: string,
  taskQueue: string,
  timeoutMs: number,
): Promise<NonNullable<IncidentState['preflight']>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const state = await handle.query(statusQuery);
      if (state.preflight) return state.preflight;
    } catch (err) {
      // Queries fail until a worker has run the first workflow task.
      last = err;
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new OperationalError(
    `${incidentId} is declared but no worker ran its pre-flight within ${Math.round(timeoutMs / 1000)}s ` +
      `(is a cordon worker polling task queue ${taskQueue}?)${last instanceof Error ? `: ${last.message}` : ''}`,
    ErrorCode.PreflightTimeout,
  );
}

/** A handle on an incident by id (with or without the `incident-` prefix). */
export function incidentHandle(client: Client, id: string): WorkflowHandle<typeof incidentWorkflow> {
  return client.workflow.getHandle(id.startsWith('incident-') ? id : `incident-${id}`);
}

/** The whole incident state (works on running and closed incidents). */
export async function incidentStatus(client: Client, id: string): Promise<IncidentState> {
  return incidentHandle(client, id).query(statusQuery);
}

// Callers have always imported the refusal from here; it lives in the error catalogue with the other codes.
export { VoteRefused } from '../config/errors';

/** How the CLI signs a decision: ssh-keygen with this key (see client/sign.ts). */
export type SigningKey = Omit<SshSignOptions, 'namespace'>;

/**
 * The payload a voter signs for the open request of a step, built from the `status` query: its round, nonce and
 * plan hash. Undefined when the step's request predates signed votes (no nonce) or nothing awaits approval.
 */
export function payloadFor(
  state: IncidentState,
  vote: Pick<VoteInput, 'stepId' | 'decision' | 'reason'> & { planHash?: string },
  now = new Date(),
): VotePayload | undefined {
  const a =
    vote.stepId === STAND_DOWN_STEP
      ? state.standDownRequest?.approval
      : state.steps.find((s) => s.id === vote.stepId)?.approvals.at(-1);
  if (!a?.nonce) return undefined;
  return {
    v: 1,
    incidentId: state.incidentId,
    stepId: vote.stepId,
    round: a.round,
    planHash: vote.planHash ?? a.planHash,
    decision: vote.decision,
    reason: vote.reason ?? '',
    time: now.toISOString(),
    nonce: a.nonce,
  };
}

/**
 * Sends a vote; the planHash defaults to the plan currently awaiting approval. With a signing key (or the Slack
 * app's attester) and a request that carries a nonce, the vote is signed over exactly the payload the workflow's
 * validator rebuilds.
 */
export async function castVote(
  client: Client,
  id: string,
  vote: Omit<VoteInput, 'planHash'> & { planHash?: string },
  signing?: SigningKey | DecisionSigner,
): Promise<VoteResult> {
  const handle = incidentHandle(client, id);
  let planHash = vote.planHash;
  let signed: Pick<VoteInput, 'payload' | 'proof'> = {};
  if (!planHash || signing) {
    const state = await handle.query(statusQuery);
    const step = state.steps.find((s) => s.id === vote.stepId);
    planHash ??=
      (vote.stepId === STAND_DOWN_STEP ? state.standDownRequest?.approval.planHash : undefined) ??
      step?.approvals.at(-1)?.planHash ??
      step?.plan?.hash ??
      '';
    const payload = signing ? payloadFor(state, { ...vote, planHash }) : undefined;
    if (payload && signing) {
      if (typeof signing === 'function') signed = { payload, proof: await signing(payload) };
      else {
        const { signature } = await signVote(payload, signing);
        signed = { payload, proof: { kind: 'ssh', signature: signature.armored } };
      }
    }
  }
  try {
    return await handle.executeUpdate(voteUpdate, { args: [{ ...vote, planHash, ...signed }] });
  } catch (err) {
    throw asRefusal(err);
  }
}

/**
 * Asks the incident to stand down: it undoes applied steps in reverse, except those that opted out. Answers with the
 * undos it runs (absent for incidents started before the list was kept). On incidents under signed votes this only
 * opens a stand-down request listing those undos; with a signing key the requester's signed approval is cast as its
 * first vote, and nothing is undone until the request's quorum approves.
 */
export async function standDown(
  client: Client,
  id: string,
  by: string,
  reason: string,
  signing?: SigningKey | DecisionSigner,
): Promise<StandDownResult & { vote?: VoteResult }> {
  const handle = incidentHandle(client, id);
  let res: StandDownResult;
  try {
    res = await handle.executeUpdate(standDownUpdate, { args: [{ by, reason }] });
  } catch (err) {
    throw asRefusal(err);
  }
  // Under signed votes the update only opens the request: the requester's own signed approval is its first vote.
  if (!res.request || !signing) return res;
  const vote = await castVote(
    client,
    id,
    { stepId: STAND_DOWN_STEP, planHash: res.request.planHash, approver: by, decision: 'approve', channel: 'cli' },
    signing,
  );
  return { ...res, vote };
}

/**
 * Retries a failed step from its start (a mutating step plans again and asks for approval again) or skips it with a
 * reason (the steps that need it are skipped too). Refusals come back as VoteRefused with their code.
 */
export async function decideFailedStep(
  client: Client,
  id: string,
  decision: 'retry' | 'skip',
  d: StepDecisionInput,
): Promise<StepDecisionResult> {
  try {
    return await incidentHandle(client, id).executeUpdate(decision === 'retry' ? retryStepUpdate : skipStepUpdate, {
      args: [d],
    });
  } catch (err) {
    throw asRefusal(err);
  }
}

function asRefusal(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause as { type?: string; message?: string } | undefined;
    return new VoteRefused(cause?.type ?? 'REFUSED', cause?.message ?? err.message);
  }
  return err;
}
