import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { parseOsvJson, type AffectedPackage } from '../../domain/advisory';
import { INCIDENT_STATUSES, ORG, PACKAGES, SEVERITY, STATUS } from '../../domain/search-attributes';
import { loadConfig } from '../../config/config';
import { ErrorCode, UserError } from '../../config/errors';
import { SEVERITIES, type IncidentState, type Severity } from '../../workflows/definitions';
import { actingUser, parseFlags } from '../../client/args';
import { connectClient } from '../../client/connect';
import { signingKeyFrom } from '../../client/sign';
import { packagesFromSpecs } from '../../client/declare';
import {
  castVote,
  decideFailedStep,
  declareIncident,
  incidentStatus,
  standDown,
  VoteRefused,
} from '../../client/incidents';
import type { CliIO, Command } from '../io';
import { loadObligationsFile, obligationStates } from '../../client/obligations';
import { renderObligations } from './obligations';
import { approvalLines } from './status-approvals';

async function withClient<T>(io: CliIO, fn: (client: Client, taskQueue: string) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env, io.cwd);
  const { client, close } = await connectClient(config);
  try {
    return await fn(client, config.temporal.taskQueue);
  } finally {
    await close();
  }
}

function packagesFromAdvisories(files: string[], cwd: string): { packages: AffectedPackage[]; ids: string[] } {
  const packages: AffectedPackage[] = [];
  const ids: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (err) {
      throw new UserError(
        `--advisory ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        ErrorCode.Usage,
      );
    }
    const r = parseOsvJson(file, text);
    if (r.problems.length > 0)
      throw new UserError(r.problems.map((p) => `${p.source}: ${p.message}`).join('\n'), ErrorCode.Advisory);
    for (const a of r.advisories) {
      ids.push(a.id, ...a.aliases);
      packages.push(...a.affected);
    }
  }
  return { packages, ids: [...new Set(ids.filter(Boolean))] };
}

function severityOf(v: string | undefined): Severity {
  const s = (v ?? 'high') as Severity;
  if (!SEVERITIES.includes(s))
    throw new UserError(`--severity ${v}: expected one of ${SEVERITIES.join(', ')}`, ErrorCode.Usage);
  return s;
}

/** `cordon declare`: start (or join) an incident. */
export const declareCommand: Command = async (args, io) => {
  const { values } = parseFlags(
    args,
    {
      package: { type: 'string', multiple: true },
      advisory: { type: 'string', multiple: true },
      org: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      severity: { type: 'string' },
      title: { type: 'string' },
      as: { type: 'string' },
      playbook: { type: 'string' },
      id: { type: 'string' },
      drill: { type: 'boolean' },
      'allow-missing': { type: 'boolean' },
      json: { type: 'boolean' },
      obligations: { type: 'string' },
      'no-obligations': { type: 'boolean' },
    },
    false,
  );
  if (!values.org) throw new UserError('declare needs --org ORG', ErrorCode.Usage);
  if (!values.since)
    throw new UserError('declare needs --since TIME (start of the exposure window, ISO 8601)', ErrorCode.Usage);
  const fromAdvisories = packagesFromAdvisories(values.advisory ?? [], io.cwd);
  const packages = [...packagesFromSpecs(values.package ?? []), ...fromAdvisories.packages];
  const d = {
    packages,
    org: values.org,
    since: values.since,
    severity: severityOf(values.severity),
    initiator: actingUser(values.as, io.env),
    advisoryIds: fromAdvisories.ids,
    drill: values.drill ?? false,
    ...(values['allow-missing'] ? { allowMissing: true } : {}),
    ...(values.until ? { until: values.until } : {}),
    ...(values.title ? { title: values.title } : {}),
    ...(values.id ? { id: values.id } : {}),
    ...(values.playbook ? { playbookFile: path.resolve(io.cwd, values.playbook), playbookLabel: values.playbook } : {}),
  };
  // The configured obligations file (playbooks/obligations.yaml by default) unless told otherwise.
  const obligationsFile = values.obligations ?? loadConfig(io.env, io.cwd).obligationsFile;
  const obligations =
    values['no-obligations'] || !obligationsFile
      ? undefined
      : loadObligationsFile(path.resolve(io.cwd, obligationsFile), values.obligations ?? obligationsFile);
  const res = await withClient(io, (client, tq) =>
    declareIncident(client, tq, { ...d, ...(obligations ? { obligations } : {}) }),
  );
  if (values.json) io.stdout.write(`${JSON.stringify(res)}\n`);
  else {
    io.stdout.write(
      `${res.joined ? 'joined existing' : 'declared'} ${res.incidentId} (playbook sha256 ${res.playbookSha256.slice(0, 12)})\n`,
    );
    // --allow-missing: say which steps cordon will not run, and why, one line per missing piece.
    if (res.manual)
      io.stdout.write(
        `left to people (manual): ${res.manual.join(', ')}\n${(res.missing ?? []).map((l) => `  ${l}\n`).join('')}`,
      );
  }
  return 0;
};

function renderStatus(s: IncidentState): string {
  const lines = [
    `${s.incidentId}  ${s.status}  phase=${s.phase}  severity=${s.severity}  org=${s.org}${s.drill ? '  [drill]' : ''}`,
    `  ${s.title}`,
  ];
  for (const step of s.steps) {
    const a = step.approvals.at(-1);
    let extra = '';
    if (step.status === 'awaiting-approval' && a) {
      const approvals = a.votes.filter((v) => v.decision === 'approve').length;
      extra = `  plan ${a.planHash.slice(0, 12)}: ${step.plan?.summary ?? ''}  (${approvals}/${a.quorum} of ${a.escalated ? `${a.group}+${a.escalationGroup}` : a.group}, until ${a.deadline})`;
    } else if (step.status === 'failed' && step.error) {
      const f = step.failures?.at(-1);
      const waiting = f && !f.decision ? `  (retry or skip: ${f.groups.join(' or ') || f.members.join(', ')})` : '';
      extra = `  failed: ${step.errorCode ? `${step.errorCode}: ` : ''}${step.error}${waiting}`;
    } else if (step.error) extra = `  ${step.error}`;
    else if (step.note) extra = `  ${step.note}`;
    lines.push(`  ${step.status.padEnd(20)} ${step.phase.padEnd(9)} ${step.id}${extra}`, ...approvalLines(step));
  }
  const p = s.standDownPreview;
  if (p && (p.undos.length > 0 || p.kept.length > 0)) {
    const undos = p.undos.map((u) => `${u.stepId} (${u.action})`).join(', ') || 'nothing';
    const kept = p.kept.length > 0 ? `; keeps ${p.kept.map((k) => k.stepId).join(', ')}` : '';
    lines.push(`  a stand-down would undo: ${undos}${kept}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `cordon status INCIDENT`. */
export const statusCommand: Command = async (args, io) => {
  const { values, positionals } = parseFlags(args, { json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UserError('usage: cordon status INCIDENT [--json]', ErrorCode.Usage);
  const { s, clocks } = await withClient(io, async (client) => {
    const s = await incidentStatus(client, positionals[0]!);
    return { s, clocks: await obligationStates(client, s) };
  });
  io.stdout.write(
    values.json
      ? `${JSON.stringify({ ...s, ...(s.obligations ? { obligationClocks: clocks } : {}) })}\n`
      : renderStatus(s) + renderObligations(clocks),
  );
  return 0;
};

const quote = (v: string): string => `'${v.replace(/'/g, "\\'")}'`;

/** `cordon list`: incidents filtered by search attributes. */
export const listCommand: Command = async (args, io) => {
  const { values } = parseFlags(
    args,
    {
      status: { type: 'string' },
      severity: { type: 'string' },
      package: { type: 'string' },
      org: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      json: { type: 'boolean' },
    },
    false,
  );
  const clauses = [`WorkflowType = 'incidentWorkflow'`];
  // Time filters on when the incident was declared (the workflow's StartTime, a built-in search attribute).
  for (const [flag, op] of [
    ['since', '>='],
    ['until', '<'],
  ] as const) {
    const v = values[flag];
    if (v === undefined) continue;
    if (Number.isNaN(Date.parse(v))) throw new UserError(`--${flag} ${v}: expected an ISO 8601 time`, ErrorCode.Usage);
    clauses.push(`StartTime ${op} ${quote(new Date(v).toISOString())}`);
  }
  if (values.status) {
    // An unknown status matches no incident: an empty list would read as "none in that state".
    if (!(INCIDENT_STATUSES as readonly string[]).includes(values.status))
      throw new UserError(
        `--status ${values.status}: expected one of ${INCIDENT_STATUSES.join(', ')}`,
        ErrorCode.Usage,
      );
    clauses.push(`${STATUS.name} = ${quote(values.status)}`);
  }
  if (values.severity) clauses.push(`${SEVERITY.name} = ${quote(severityOf(values.severity))}`);
  if (values.package) clauses.push(`${PACKAGES.name} = ${quote(values.package)}`);
  if (values.org) clauses.push(`${ORG.name} = ${quote(values.org)}`);
  const rows = await withClient(io, async (client) => {
    const out: Record<string, unknown>[] = [];
    for await (const wf of client.workflow.list({ query: clauses.join(' AND ') })) {
      const sa = wf.typedSearchAttributes;
      out.push({
        incidentId: wf.workflowId,
        status: sa.get(STATUS) ?? wf.status.name,
        severity: sa.get(SEVERITY),
        org: sa.get(ORG),
        packages: sa.get(PACKAGES) ?? [],
        startedAt: wf.startTime.toISOString(),
      });
    }
    return out;
  });
  if (values.json) io.stdout.write(`${JSON.stringify(rows)}\n`);
  else
    for (const r of rows)
      io.stdout.write(
        `${r.incidentId}  ${r.status}  ${r.severity}  ${r.org}  ${(r.packages as string[]).join(',')}  ${r.startedAt}\n`,
      );
  return 0;
};

async function voteCommand(decision: 'approve' | 'reject', args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    as: { type: 'string' },
    key: { type: 'string' },
    plan: { type: 'string' },
    reason: { type: 'string' },
    json: { type: 'boolean' },
  });
  const signing = signingKeyFrom(values.key, io.env);
  if (positionals.length !== 2 || (decision === 'reject' && !values.reason?.trim()))
    throw new UserError(
      `usage: cordon ${decision} INCIDENT STEP${decision === 'reject' ? ' --reason TEXT' : ''}`,
      ErrorCode.Usage,
    );
  const [incident, stepId] = positionals as [string, string];
  try {
    const res = await withClient(io, (client) =>
      castVote(
        client,
        incident,
        {
          stepId,
          approver: actingUser(values.as, io.env),
          decision,
          channel: 'cli',
          ...(values.plan ? { planHash: values.plan } : {}),
          ...(values.reason ? { reason: values.reason } : {}),
        },
        signing,
      ),
    );
    if (values.json) io.stdout.write(`${JSON.stringify(res)}\n`);
    else
      io.stdout.write(
        `${decision === 'approve' ? 'approved' : 'rejected'} ${stepId}: ${res.approvals}/${res.quorum}${res.decision ? ` -> ${res.decision}` : ''}\n`,
      );
    return 0;
  } catch (err) {
    if (!(err instanceof VoteRefused)) throw err;
    if (values.json) io.stdout.write(`${JSON.stringify({ refused: true, code: err.refusal, reason: err.message })}\n`);
    io.stderr.write(`cordon ${decision}: refused: ${err.message}\n`);
    return 1;
  }
}

/** `cordon approve INCIDENT STEP`. */
export const approveCommand: Command = (args, io) => voteCommand('approve', args, io);
/** `cordon reject INCIDENT STEP --reason TEXT`. */
export const rejectCommand: Command = (args, io) => voteCommand('reject', args, io);

/** `cordon stand-down INCIDENT --reason TEXT`. */
export const standDownCommand: Command = async (args, io) => {
  const { values, positionals } = parseFlags(args, {
    as: { type: 'string' },
    key: { type: 'string' },
    reason: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1 || !values.reason)
    throw new UserError('usage: cordon stand-down INCIDENT --reason TEXT', ErrorCode.Usage);
  const signing = signingKeyFrom(values.key, io.env);
  let res;
  try {
    res = await withClient(io, (client) =>
      standDown(client, positionals[0]!, actingUser(values.as, io.env), values.reason!, signing),
    );
  } catch (err) {
    if (!(err instanceof VoteRefused)) throw err;
    io.stderr.write(`cordon stand-down: refused: ${err.message}\n`);
    return 1;
  }
  const undos = res.undos?.map((u) => u.stepId);
  // A stand-down that is a decision waits for its quorum: say so rather than claim the undos run.
  if (res.request && res.vote?.decision !== 'approved') {
    const votes = res.vote ? `${res.vote.approvals}/${res.vote.quorum}` : 'no vote yet (sign with --key)';
    io.stdout.write(
      values.json
        ? `${JSON.stringify({ standDownRequested: positionals[0], undos: undos ?? [], request: res.request, vote: res.vote ?? null })}\n`
        : `stand-down of ${positionals[0]} requested, undoing ${undos?.join(', ') || 'nothing'} once approved: ${votes}\n`,
    );
    return 0;
  }
  io.stdout.write(
    values.json
      ? `${JSON.stringify({ standingDown: positionals[0], ...(undos ? { undos } : {}) })}\n`
      : `standing down ${positionals[0]}: undoing applied steps in reverse${undos ? ` (${undos.join(', ') || 'none'})` : ''}\n`,
  );
  return 0;
};

async function failedStepCommand(decision: 'retry' | 'skip', args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    as: { type: 'string' },
    reason: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 2 || (decision === 'skip' && !values.reason?.trim()))
    throw new UserError(
      `usage: cordon ${decision} INCIDENT STEP${decision === 'skip' ? ' --reason TEXT' : ''} [--as USER]`,
      'E_USAGE',
    );
  const [incident, stepId] = positionals as [string, string];
  try {
    const res = await withClient(io, (client) =>
      decideFailedStep(client, incident, decision, {
        stepId,
        by: actingUser(values.as, io.env),
        channel: 'cli',
        ...(values.reason ? { reason: values.reason } : {}),
      }),
    );
    io.stdout.write(
      values.json
        ? `${JSON.stringify(res)}\n`
        : decision === 'retry'
          ? `retrying ${stepId}: it runs again from its plan (a changing step asks for approval again)\n`
          : `skipped ${stepId}: steps that need it are skipped too\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof VoteRefused)) throw err;
    if (values.json) io.stdout.write(`${JSON.stringify({ refused: true, code: err.code, reason: err.message })}\n`);
    io.stderr.write(`cordon ${decision}: refused: ${err.message}\n`);
    return 1;
  }
}

/** `cordon retry INCIDENT STEP`: run a failed step again from its start. */
export const retryCommand: Command = (args, io) => failedStepCommand('retry', args, io);
/** `cordon skip INCIDENT STEP --reason TEXT`: give up on a failed step; the steps that need it are skipped. */
export const skipCommand: Command = (args, io) => failedStepCommand('skip', args, io);
