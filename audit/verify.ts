// `cordon audit verify DIR`: is this bundle complete, untouched, and does the history it holds show every change
// approved as the playbook demands? Every check re-derives its facts from history.json (the ledger Temporal wrote),
// never trusting the derived files, which are instead compared with what the history says.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hashJson } from '../domain/canonical-json';
import { AesGcmPayloadCodec } from '../codec/codec';
import type { TrustedKey } from '../config/audit';
import type { CodecConfig } from '../config/codec';
import type { ApprovalState, IncidentInput, IncidentState } from '../workflows/definitions';
import { checkFanOutApplies, checkUndos } from './calls';
import { childFileName, deriveBundleFiles } from './export';
import { historyFacts, type HistoryCall, type HistoryFacts } from './history-facts';
import { decodeEvents, historyEvents, type JsonEvent } from './history-json';
import type { LedgerRow } from './ledger';
import { checkSignature, MANIFEST_FILE, sha256Hex, type Manifest } from './manifest';
import { replayHistories, type ReplayJob, type ReplayOutcome } from './replay';

// A signed round names its voters by principal: any alias (CLI handle, Slack id) of a principal pinned with the
// request is a member, whichever alias the group lookup returned.
const isMember = (round: ApprovalState, approver: string): boolean =>
  round.members.includes(approver) ||
  (round.principals ?? []).some((p) => Object.values(p.aliases).some((list) => list?.includes(approver)));

/** One reason the bundle cannot be trusted, with a stable code. */
export interface Violation {
  code: string;
  message: string;
}

/** The outcome of each check, and every violation found. */
export interface VerifyReport {
  ok: boolean;
  dir: string;
  incidentId?: string;
  /** Whose key signed the manifest: the name from the trusted set, and the key's fingerprint. */
  signer?: { name: string; fingerprint: string };
  checks: {
    manifest: 'ok' | 'failed';
    signature: 'ok' | 'invalid' | 'unsigned' | 'untrusted' | 'unsupported';
    replay: 'deterministic' | 'nondeterministic' | 'failed' | 'timeout' | 'skipped';
    ledger: 'ok' | 'failed' | 'skipped';
    derivedFiles: 'ok' | 'failed' | 'skipped';
  };
  /** Counts of what was checked: events, votes, applies. */
  counted: { events: number; votes: number; applies: number };
  violations: Violation[];
  warnings: string[];
}

/** What verify trusts, and how long it lets a replay run. */
export interface VerifyOptions {
  /** The keys whose manifest signatures are accepted; any other key, or none, is a violation. @default [] */
  trustedKeys?: readonly TrustedKey[];
  /** How long one history's replay may take. @default DEFAULT_REPLAY_TIMEOUT_MS (config/audit.ts) */
  replayTimeoutMs?: number;
}

const ENCRYPTED_B64 = Buffer.from('binary/encrypted').toString('base64');

/**
 * Verifies an audit bundle. Never throws for a bad bundle and never hangs on one: every problem, a replay that
 * crashes or outlives its time limit included, becomes a named violation.
 */
export async function verifyAuditBundle(
  dir: string,
  codec: CodecConfig | undefined,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const trusted = options.trustedKeys ?? [];
  const report: VerifyReport = {
    ok: false,
    dir,
    checks: { manifest: 'ok', signature: 'unsigned', replay: 'skipped', ledger: 'skipped', derivedFiles: 'skipped' },
    counted: { events: 0, votes: 0, applies: 0 },
    violations: [],
    warnings: [],
  };
  const fail = (code: string, message: string): void => void report.violations.push({ code, message });

  // ---- manifest ----------------------------------------------------------------------------------------------------
  const manifestPath = path.join(dir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) {
    fail('manifest.missing', `${MANIFEST_FILE} is missing from ${dir}`);
    report.checks.manifest = 'failed';
    return report;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (!manifest.files || typeof manifest.files !== 'object') throw new Error('no "files" object');
  } catch (err) {
    fail('manifest.unreadable', `${MANIFEST_FILE}: ${(err as Error).message}`);
    report.checks.manifest = 'failed';
    return report;
  }
  report.incidentId = manifest.incidentId;
  const present = readdirSync(dir).filter((f) => f !== MANIFEST_FILE);
  for (const [file, digest] of Object.entries(manifest.files)) {
    const p = path.join(dir, file);
    if (!existsSync(p)) fail('manifest.missing-file', `${file} is listed in the manifest but missing`);
    else if (sha256Hex(readFileSync(p)) !== digest)
      fail('manifest.digest-mismatch', `${file}: SHA-256 differs from the manifest (edited after export)`);
  }
  for (const f of present.filter((x) => !(x in manifest.files)))
    fail('manifest.extra-file', `${f} is not listed in the manifest`);
  if (report.violations.length > 0) report.checks.manifest = 'failed';

  // ---- history -----------------------------------------------------------------------------------------------------
  const historyPath = path.join(dir, 'history.json');
  if (!existsSync(historyPath)) return finish(report, manifest, trusted);
  let rawEvents: JsonEvent[];
  try {
    rawEvents = historyEvents(JSON.parse(readFileSync(historyPath, 'utf8')));
  } catch (err) {
    fail('history.unreadable', `history.json: ${(err as Error).message}`);
    return finish(report, manifest, trusted);
  }
  report.counted.events = rawEvents.length;
  const isEncrypted = JSON.stringify(rawEvents).includes(`"${ENCRYPTED_B64}"`);
  finish(report, manifest, trusted);
  if (isEncrypted && !codec) {
    fail('verify.no-key', 'history.json is encrypted and no key is configured (CORDON_CODEC_KEYS): cannot verify it');
    return done(report);
  }
  const decoded = await decodeEvents(rawEvents, codec ? new AesGcmPayloadCodec(codec) : undefined);
  for (const p of decoded.problems)
    fail('history.payload-unreadable', `history.json event ${p.eventId} ${p.path}: ${p.message}`);

  // ---- ledger ------------------------------------------------------------------------------------------------------
  // Every history of the bundle (the incident's, then its fan-out batches') is replayed together below.
  const replays: ReplayJob[] = [{ workflowId: manifest.incidentId, file: 'history.json', path: historyPath }];
  const facts = historyFacts(decoded.events);
  let state = facts.finalState;
  if (!state) {
    report.warnings.push('the incident had not completed when exported: its record comes from state.json (a query)');
    state = readJson<IncidentState>(dir, 'state.json');
  }
  if (!facts.input || !state) {
    fail('history.incomplete', 'history.json holds no readable workflow input or incident record');
    await replay(replays, codec, options, report, fail);
    return done(report);
  }
  const before = report.violations.length;
  replays.push(...(await checkChildren(dir, manifest.incidentId, facts, codec, fail)));
  for (const v of checkLedger(facts, facts.input, state, report.counted)) fail(v.code, v.message);
  report.checks.ledger = report.violations.length === before ? 'ok' : 'failed';

  // ---- replay ------------------------------------------------------------------------------------------------------
  await replay(replays, codec, options, report, fail);

  // ---- derived files -----------------------------------------------------------------------------------------------
  const derived = await deriveBundleFiles(rawEvents, codec, facts.finalState ? undefined : state);
  const beforeDerived = report.violations.length;
  for (const [file, want] of Object.entries(derived.files)) {
    if (!existsSync(path.join(dir, file))) {
      fail('bundle.missing-file', `${file} is missing`);
      continue;
    }
    const got = readFileSync(path.join(dir, file), 'utf8');
    if (got === want) continue;
    if (file === 'approvals.json') compareLedger(got, want, fail);
    else fail('bundle.derived-mismatch', `${file} does not match what history.json records`);
  }
  report.checks.derivedFiles = report.violations.length === beforeDerived ? 'ok' : 'failed';
  return done(report);
}

/**
 * Fan-out batches: each child workflow the incident started has its history in the bundle, runs exactly the call
 * the incident started it with (activity, step, plan hash, batch), replays against the current code, and the
 * batches of an apply together apply exactly the approved plan's items.
 */
async function checkChildren(
  dir: string,
  parentId: string,
  facts: HistoryFacts,
  codec: CodecConfig | undefined,
  fail: (code: string, message: string) => void,
): Promise<ReplayJob[]> {
  const codecInst = codec ? new AesGcmPayloadCodec(codec) : undefined;
  const histories: ReplayJob[] = [];
  const childCalls = new Map<string, HistoryCall[]>();
  for (const c of facts.calls.filter((x) => x.childWorkflowId)) {
    const file = childFileName(parentId, c.childWorkflowId!);
    const where = `${file} (${c.activity}:${c.mode} of step ${c.stepId})`;
    let events: JsonEvent[];
    try {
      events = historyEvents(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    } catch (err) {
      fail('bundle.child-missing', `${where}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      continue;
    }
    const decoded = await decodeEvents(events, codecInst);
    for (const p of decoded.problems)
      fail('history.payload-unreadable', `${file} event ${p.eventId} ${p.path}: ${p.message}`);
    const calls = historyFacts(decoded.events).calls;
    const same = (x: HistoryCall): boolean =>
      x.activity === c.activity &&
      x.mode === c.mode &&
      x.stepId === c.stepId &&
      x.planHash === c.planHash &&
      x.batch?.index === c.batch?.index &&
      x.batch?.of === c.batch?.of;
    if (calls.length === 0 || !calls.every(same))
      fail('ledger.child-mismatch', `${where}: does not run the call the incident started it with`);
    childCalls.set(c.childWorkflowId!, calls);
    histories.push({ workflowId: c.childWorkflowId!, file, path: path.join(dir, file) });
  }
  for (const v of checkFanOutApplies(facts.calls, childCalls)) fail(v.code, v.message);
  return histories;
}

const REPLAY_CODE: Record<Exclude<ReplayOutcome['outcome'], 'deterministic'>, string> = {
  nondeterministic: 'replay.nondeterministic',
  failed: 'replay.failed',
  timeout: 'replay.timeout',
};

/**
 * Replays every history against the current workflow code, each in a child process within the time limit; the
 * replay check takes the first failure's kind, and each failure is a violation naming its history file.
 */
async function replay(
  jobs: ReplayJob[],
  codec: CodecConfig | undefined,
  options: VerifyOptions,
  report: VerifyReport,
  fail: (code: string, message: string) => void,
): Promise<void> {
  const outcomes = await replayHistories(jobs, {
    ...(codec ? { codec } : {}),
    ...(options.replayTimeoutMs ? { timeoutMs: options.replayTimeoutMs } : {}),
  });
  report.checks.replay = outcomes.find((o) => o.outcome !== 'deterministic')?.outcome ?? 'deterministic';
  for (const o of outcomes) {
    if (o.outcome === 'deterministic') continue;
    const what = o.outcome === 'timeout' ? 'did not finish replaying' : 'replaying against the current workflow code';
    fail(REPLAY_CODE[o.outcome], `${o.file}: ${what}: ${o.message ?? o.outcome}`);
  }
}

function readJson<T>(dir: string, file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * The signature check. Only a good signature by a trusted key says who exported the bundle: an unsigned manifest,
 * an unknown key or a signature that does not match are violations, since anyone can recompute the digests.
 */
function finish(report: VerifyReport, manifest: Manifest, trusted: readonly TrustedKey[]): VerifyReport {
  const c = checkSignature(manifest, trusted);
  report.checks.signature = c.status;
  const violation = (code: string, message: string): void => {
    report.violations.push({ code, message: `${MANIFEST_FILE}: ${message}` });
    report.checks.manifest = 'failed';
  };
  if (c.status === 'ok') report.signer = { name: c.signer, fingerprint: c.fingerprint };
  else if (c.status === 'untrusted') {
    const set = trusted.length
      ? `not one of the ${trusted.length} trusted key(s)`
      : 'and no key is trusted (set CORDON_AUDIT_TRUSTED_KEYS or --trusted-keys)';
    violation(
      'manifest.signer-untrusted',
      `signed by key ${c.fingerprint} (claiming to be "${c.claimed}"), ${set}: anyone can sign with a key of their own`,
    );
  } else if (c.status === 'unsigned')
    violation('manifest.unsigned', 'unsigned: its digests only catch an edit whose author forgot to recompute them');
  else if (c.status === 'unsupported') violation('manifest.signature-unsupported', c.detail);
  else violation('manifest.signature-invalid', `${c.detail} (the bundle was changed after it was signed)`);
  return report;
}

function done(report: VerifyReport): VerifyReport {
  report.ok = report.violations.length === 0;
  return report;
}

function compareLedger(got: string, want: string, fail: (code: string, message: string) => void): void {
  const key = (r: LedgerRow): string =>
    `${r.step} round ${r.round}: ${r.approver} ${r.decision} ${r.planHash.slice(0, 12)}`;
  let rows: LedgerRow[];
  try {
    rows = JSON.parse(got) as LedgerRow[];
    if (!Array.isArray(rows)) throw new Error('not a list');
  } catch (err) {
    fail('ledger.approvals-unreadable', `approvals.json: ${(err as Error).message}`);
    return;
  }
  const have = new Set(rows.map(key));
  const expected = (JSON.parse(want) as LedgerRow[]).map(key);
  const missing = expected.filter((k) => !have.has(k));
  const extra = [...have].filter((k) => !expected.includes(k));
  for (const m of missing) fail('ledger.approval-missing', `approvals.json lacks a decision the history records: ${m}`);
  for (const x of extra) fail('ledger.approval-unrecorded', `approvals.json lists a decision the history lacks: ${x}`);
  if (missing.length === 0 && extra.length === 0)
    fail(
      'ledger.approvals-edited',
      'approvals.json differs from the decisions the history records (a field was edited)',
    );
}

/**
 * The approval rules, checked on the history: every vote counted comes from a member of the group resolved for its
 * request and respects separation of duties; the workflow's record of votes is exactly the votes the history holds;
 * every apply was scheduled only after an approval (quorum met, or the playbook's default on expiry) of the
 * exact plan hash it carries; and every undo reverses an apply that completed, with the effects it returned.
 */
export function checkLedger(
  facts: HistoryFacts,
  input: IncidentInput,
  state: IncidentState,
  counted: VerifyReport['counted'] = { events: 0, votes: 0, applies: 0 },
): Violation[] {
  const violations: Violation[] = [];
  const fail = (code: string, message: string): void => void violations.push({ code, message });
  if (hashJson(input.playbook) !== input.playbookSha256)
    fail('playbook.sha256-mismatch', `the playbook in the workflow input does not hash to ${input.playbookSha256}`);
  const policyOf = (stepId: string) => input.playbook.steps.find((s) => s.id === stepId)?.approval;
  const roundOf = (stepId: string, planHash: string) =>
    state.steps.find((s) => s.id === stepId)?.approvals.find((a) => a.planHash === planHash);
  const votes = facts.votes.filter((v) => v.result && !v.failed);
  counted.votes = votes.length;

  // Each round's members came from an approver lookup recorded in history (the escalation adds a second one).
  const lookups = facts.approverLookups.map((l) => new Set(l.members));
  const allLooked = new Set(facts.approverLookups.flatMap((l) => l.members));
  for (const s of state.steps) {
    const policy = policyOf(s.id);
    for (const a of s.approvals) {
      const where = `step ${s.id} round ${a.round}`;
      const exact = lookups.some((l) => l.size === a.members.length && a.members.every((m) => l.has(m)));
      if (!(a.escalated ? a.members.every((m) => allLooked.has(m)) : exact))
        fail(
          'ledger.members-unresolved',
          `${where}: approvers [${a.members.join(', ')}] match no group lookup in history`,
        );
      if (
        policy &&
        (a.group !== policy.group || a.quorum !== policy.quorum || a.separationOfDuties !== policy.separationOfDuties)
      )
        fail('ledger.policy-mismatch', `${where}: group/quorum/separation of duties differ from the playbook's`);
    }
  }

  // Every accepted vote: a member, not the initiator where separation of duties holds, and in the workflow's record.
  for (const v of votes) {
    const where = `vote by ${v.vote.approver} on step ${v.vote.stepId} (event ${v.eventId})`;
    const round = roundOf(v.vote.stepId, v.vote.planHash);
    const policy = policyOf(v.vote.stepId);
    if (!round) {
      fail('ledger.vote-unknown-plan', `${where}: plan ${v.vote.planHash.slice(0, 12)} was never put to approval`);
      continue;
    }
    if (!isMember(round, v.vote.approver))
      fail('ledger.approver-not-in-group', `${where}: not a member of ${round.group} [${round.members.join(', ')}]`);
    if ((round.separationOfDuties || policy?.separationOfDuties) && v.vote.approver === input.initiator)
      fail('ledger.separation-of-duties', `${where}: ${v.vote.approver} declared the incident`);
    const recorded = round.votes.some(
      (r) => r.approver === v.vote.approver && r.decision === v.vote.decision && r.channel === v.vote.channel,
    );
    if (!recorded) fail('ledger.vote-mismatch', `${where}: the workflow's record has no such vote`);
  }
  for (const s of state.steps) {
    for (const a of s.approvals) {
      for (const r of a.votes) {
        const inHistory = votes.some(
          (v) =>
            v.vote.stepId === s.id &&
            v.vote.planHash === a.planHash &&
            v.vote.approver === r.approver &&
            v.vote.decision === r.decision,
        );
        if (!inHistory)
          fail(
            'ledger.vote-missing',
            `step ${s.id} round ${a.round}: ${r.approver} ${r.decision} has no vote Update in history`,
          );
      }
    }
  }

  // Every apply: after an approval of its exact plan hash.
  const applies = facts.calls.filter((c) => c.mode === 'apply');
  counted.applies = applies.length;
  for (const c of applies) {
    const where = `${c.activity}:apply of step ${c.stepId}${c.batch ? ` batch ${c.batch.index + 1}/${c.batch.of}` : ''} (event ${c.eventId})`;
    if (!c.planHash) {
      fail('ledger.apply-without-plan-hash', `${where}: carries no plan hash`);
      continue;
    }
    if (!c.batch && c.plan && hashJson(c.plan) !== c.planHash)
      fail('ledger.plan-hash-mismatch', `${where}: the plan it applies does not hash to ${c.planHash.slice(0, 12)}`);
    const policy = policyOf(c.stepId);
    if (!policy) {
      fail('ledger.apply-without-policy', `${where}: the playbook gives step ${c.stepId} no approval policy`);
      continue;
    }
    const round = roundOf(c.stepId, c.planHash);
    const prior = votes.filter(
      (v) =>
        v.vote.stepId === c.stepId && v.vote.planHash === c.planHash && (v.completedEventId ?? Infinity) < c.eventId,
    );
    const approvers = new Set(
      prior
        .filter((v) => v.vote.decision === 'approve')
        .filter((v) => round !== undefined && isMember(round, v.vote.approver))
        .filter((v) => !(policy.separationOfDuties && v.vote.approver === input.initiator))
        .map((v) => v.vote.approver),
    );
    const rejected = prior.some((v) => v.vote.decision === 'reject');
    const byDefault = round?.expired && round.decision === 'approved' && policy.onExpiry === 'approve';
    if (rejected || (approvers.size < policy.quorum && !byDefault)) {
      fail(
        'ledger.apply-without-approval',
        `${where}: plan ${c.planHash.slice(0, 12)} had ${approvers.size} valid approval(s) of ${policy.quorum} needed${rejected ? ' and a rejection' : ''} before it was scheduled`,
      );
    }
  }
  violations.push(...checkUndos(facts.calls, input.playbook));
  return violations;
}
