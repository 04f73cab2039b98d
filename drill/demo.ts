// `npm run -s demo [-- --json]`: the whole supply-chain playbook against the sandbox organisation, on a local
// Temporal dev server that the demo starts and stops, with a drill on-call approving every step from a separate
// identity than the initiator (so separation of duties holds). Prints the summary contract of DESIGN.md.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { RecordingNotifier } from '../activities/engine';
import { parseOsvJson } from '../domain/advisory';
import { generateOrg, startGitHubSandbox } from '../sandbox/github';
import { startNpmRegistrySandbox } from '../sandbox/npm-registry';
import { startPyPiSandbox } from '../sandbox/pypi';
import { startCratesRegistrySandbox } from '../sandbox/crates-registry';
import { startDrillAws } from '../sandbox/aws/drill';
import { addDrillTokens } from '../sandbox/github/generate/drill-tokens';
import { DrillLedger } from '../activities/drill';
import { drillAwsActivities } from '../worker/aws-handlers';
import { readAuditConfig } from '../config/audit';
import { DEFAULT_OBLIGATIONS_FILE, loadConfig } from '../config/config';
import { startLocalEngine } from './local-engine';
import { startSmtpSandbox, type ReceivedMail } from '../sandbox/smtp';
import type { ObligationState } from '../workflows/definitions';
import { loadObligationsFile, obligationStates } from '../client/obligations';
import { startDevServer } from '../devserver/dev-server';
import { ensureTool } from '../devserver/tools';
import type { DrillMoto } from '../sandbox/aws/drill';
import { defaultHandlers } from '../worker/handlers';
import { createLogger } from '../config/logger';
import { startSlackDrill } from './slack-drill';
import { verifyCommand } from './verify-command';
import { statusQuery, type ApprovalState, type IncidentState, type StepState } from '../workflows/definitions';
import { parseFlags } from '../client/args';
import { exportAuditBundle } from '../audit/export';
import { verifyAuditBundle } from '../audit/verify';
import { castVote, declareIncident, incidentHandle, standDown } from '../client/incidents';
import { drillPeople } from './drill-people';

const ROOT = path.resolve(__dirname, '..');
const DRILL_TOKEN = 'ghp_cordonDrillSandboxToken0000000000000';
const INITIATOR = 'drill-initiator';
/** Who exports the drill's audit bundle, and whose key signs its manifest. */
const AUDIT_SIGNER = 'drill-operator';
const GROUPS = {
  'oncall-security': ['drill-oncall-1', 'drill-oncall-2', INITIATOR],
  'security-leads': ['drill-lead'],
  legal: ['drill-counsel'],
};

/** What the rotate and revoke phases changed, from their steps' effects: ids and counts, never a secret. */
function credentialEffects(steps: StepState[]): Record<string, unknown> {
  const fx = (id: string) => steps.find((s) => s.id === id)?.effects ?? {};
  const list = (v: unknown) => (Array.isArray(v) ? v : []);
  return {
    keysRotated: list(fx('rotate-access-keys').rotated).length,
    oldKeysDeleted: list(fx('delete-old-access-keys').deleted).length,
    sessionsRevoked: list(fx('revoke-role-sessions').revoked).length,
    tokensRevoked: fx('revoke-tokens').tokensRevoked ?? 0,
    runnersRemoved: list(fx('revoke-tokens').runnersRemoved).length,
    itemsForHumans: list(fx('rotate-access-keys').rotateByHand).length,
  };
}

/** A read-only step's output reduced to counts and small facts, for the summary. */
function summarizeOutput(output: unknown): Record<string, unknown> {
  if (!output || typeof output !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(output as Record<string, unknown>)) {
    if (k === 'apiCalls' && v && typeof v === 'object')
      out.apiCalls = Object.values(v as Record<string, number>).reduce((a, b) => a + b, 0);
    else if (k === 'exposedRepos' && Array.isArray(v))
      out.exposedRepos = v.map((r: { owner: string; name: string }) => `${r.owner}/${r.name}`);
    else if (Array.isArray(v)) out[k] = v.length;
    else if (typeof v !== 'object') out[k] = v;
  }
  return out;
}

function stepSummary(s: StepState) {
  return {
    id: s.id,
    phase: s.phase,
    status: s.status,
    approvals: s.approvals.flatMap((a) =>
      a.votes.map((v) => ({
        round: a.round,
        approver: v.approver,
        decision: v.decision,
        planHash: v.planHash,
        channel: v.channel,
        at: v.at,
        // How the vote was proven: an SSH signature by the drill on-call's key, or the Slack app's attestation.
        ...(v.principal ? { principal: v.principal } : {}),
        ...(v.proof ? { proof: v.proof } : {}),
      })),
    ),
    effects: s.mutates
      ? { ...(s.plan ? { plan: s.plan.summary, irreversible: s.plan.irreversible } : {}), ...(s.effects ?? {}) }
      : summarizeOutput(s.output),
    ...(s.error ? { error: s.error } : {}),
    ...(s.note ? { note: s.note } : {}),
  };
}

/** The notify phase for the summary: packets (paths relative to the working directory), deliveries, deadlines. */
function notifySummary(final: IncidentState, clocks: ObligationState[], mail: ReceivedMail[]) {
  const rel = (p: string): string => path.relative(process.cwd(), p) || '.';
  const effects = final.steps.find((s) => s.action === 'notify.sendPackets')?.effects ?? {};
  const packets = (effects.packets ?? []) as {
    recipient: string;
    markdown: string;
    html: string;
    pdf: string;
    sha256: string;
  }[];
  return {
    packets: packets.map((p) => ({ ...p, markdown: rel(p.markdown), html: rel(p.html), pdf: rel(p.pdf) })),
    sent: effects.sent ?? [],
    delivered: mail.map((m) => ({ to: m.envelopeTo, bytes: m.raw.length })),
    obligations: clocks.map((o) => ({
      id: o.id,
      who: o.who,
      deadline: o.deadline,
      state: o.status,
      triggeredAt: o.triggeredAt,
      owner: o.owner,
      reminders: o.reminders.map((r) => r.at),
    })),
  };
}

/**
 * Approves every step waiting for approval, as the drill on-call, until the incident closes: `approve` clicks the
 * request's Approve button in the sandbox Slack, through the Bolt app, where the step accepts Slack's attestation,
 * and signs with the on-call's SSH key (as `cordon approve --key` does) where it needs a signature.
 */
async function drillOnCall(
  client: Client,
  incidentId: string,
  initiator: string,
  done: () => boolean,
  approve: (approver: string, stepId: string, request: ApprovalState) => Promise<void>,
  standDownAs: { by: string; keyFile: string },
): Promise<void> {
  const voted = new Set<string>();
  while (!done()) {
    const state: IncidentState = await incidentHandle(client, incidentId).query(statusQuery);
    // A failed step waits for a person to retry or skip it; a drill has nobody to fix it, so it ends the incident
    // with a stand-down naming the failure instead of waiting forever.
    const failed = state.steps.find((s) => s.status === 'failed' && s.failures?.at(-1)?.decision === undefined);
    if (failed && !state.standDown && !state.standDownRequest && !state.finishedAt) {
      // A stand-down is a decision of the playbook's stand-down group: its drill member asks and signs.
      await standDown(
        client,
        incidentId,
        standDownAs.by,
        `drill: step ${failed.id} failed: ${failed.error ?? 'unknown'}`,
        { keyFile: standDownAs.keyFile },
      );
      continue;
    }
    for (const step of state.steps.filter((s) => s.status === 'awaiting-approval')) {
      const a = step.approvals.at(-1)!;
      const approvers = a.members.filter((m) => !(a.separationOfDuties && m === initiator)).slice(0, a.quorum);
      for (const approver of approvers) {
        const key = `${step.id}/${a.round}/${approver}`;
        if (voted.has(key) || a.votes.some((v) => v.approver === approver)) continue;
        voted.add(key);
        await approve(approver, step.id, a);
      }
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function main(): Promise<void> {
  const { values } = parseFlags(process.argv.slice(2), { json: { type: 'boolean' }, repos: { type: 'string' } }, false);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const runDir = path.join(ROOT, '.cordon', 'demo', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(runDir, { recursive: true });
  const log = (line: string): void => void (values.json ? undefined : process.stderr.write(`${line}\n`));

  // The first run provisions moto (and, in startDevServer, the Temporal CLI) into the per-user tool cache; its progress
  // goes to stderr even with --json, so a long build never looks like a hang. Only a machine that cannot install moto
  // (no Python 3, no network) runs the AWS steps as drill, and the summary says why.
  const progress = (line: string): void => void process.stderr.write(`${line}\n`);
  const moto: DrillMoto = await ensureTool('moto', { log: progress }).then(
    (bin) => ({ bin }),
    (err: Error) => ({ unavailable: `moto could not be provisioned (${err.message})` }),
  );
  log('demo: starting the Temporal dev server');
  const server = await startDevServer({ logFile: path.join(runDir, 'temporal.log'), log: progress });
  const { spec, truth } = generateOrg({
    name: 'acme-drill',
    repos: Number(values.repos ?? 24),
    exposedRepos: 3,
    seed: 7,
  });
  // PATs used and a deploy key added inside the window, for the revoke-tokens phase to find.
  addDrillTokens(spec, truth);
  const github = await startGitHubSandbox({ org: spec, tokens: [DRILL_TOKEN] });
  // Pin pull requests read last good versions from sandbox registries (npm, PyPI, crates) that serve the generated packages.
  const npmRegistry = await startNpmRegistrySandbox();
  const pypi = await startPyPiSandbox();
  const crates = await startCratesRegistrySandbox();
  // Counsel and insurer packets are e-mailed to a sandbox SMTP server: real delivery, nobody real receives them.
  const smtp = await startSmtpSandbox();
  log(`demo: sandbox GitHub organisation ${truth.org} (${truth.repos.length} repos) at ${github.url}`);
  // AWS IAM through moto (users and roles tagged with the secrets they back).
  const aws = await startDrillAws(truth, moto);
  log(aws.mode === 'moto' ? `demo: moto IAM with ${aws.seeded.users.length} users` : `demo: ${aws.reason}`);
  // The grace period before old keys are deleted is 24h in the playbook; the drill waits seconds.
  const playbookFile = path.join(runDir, 'playbook.yaml');
  writeFileSync(
    playbookFile,
    readFileSync(path.join(ROOT, 'playbooks', 'supply-chain-compromise.yaml'), 'utf8').replace(
      /delay: 24h/g,
      'delay: 3s',
    ),
  );
  // A fresh key per run: the drill's history is encrypted like a real incident's, and the key dies with the run.
  const keyId = `demo-${path.basename(runDir)}`;
  // The drill's people sign their votes with keys made for this run; the worker pins them with each request.
  const people = drillPeople(GROUPS, path.join(runDir, 'keys'));
  const codecKeys = JSON.stringify({ [keyId]: randomBytes(32).toString('base64') });
  const loaded = loadConfig(
    {
      CORDON_CODEC_KEYS: codecKeys,
      CORDON_CODEC_ACTIVE_KEY: keyId,
      TEMPORAL_ADDRESS: server.address,
      CORDON_TASK_QUEUE: 'cordon-demo',
      CORDON_APPROVER_GROUPS: JSON.stringify(GROUPS),
      CORDON_STATE_DIR: runDir,
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: DRILL_TOKEN,
      NPM_REGISTRY_URL: npmRegistry.url,
      PYPI_URL: pypi.url,
      CRATES_INDEX_URL: crates.indexUrl,
      CRATES_API_URL: crates.url,
      CORDON_SMTP_URL: smtp.url,
      CORDON_MAIL_FROM: 'cordon-drill@acme-drill.example',
      LOG_LEVEL: 'warn',
      ...(aws.mode === 'moto' ? aws.env : {}),
    },
    ROOT,
  );
  const config = { ...loaded, approvers: people.directory, slackAttestationKey: people.attestation.publicKey };
  const audit = drillAuditKeys(runDir);
  const logger = createLogger('warn');
  const notifier = new RecordingNotifier();
  // The Slack conversation the incident would have had, posted to a sandbox workspace.
  const slack = await startSlackDrill(config, logger);
  const engine = await startLocalEngine({
    config,
    handlers: {
      ...defaultHandlers(config, logger),
      ...(aws.mode === 'drill' ? drillAwsActivities(new DrillLedger(config.drillLedger)) : {}),
    },
    notifiers: [notifier, slack.notifier],
    logger,
  });
  const { client } = engine;
  await slack.startApp(client, config.temporal.taskQueue, people.attestation.privateKey);
  let finished = false;
  try {
    const advisories = ['MAL-2026-6011.json', 'MAL-2026-5979.json'].map((f) =>
      parseOsvJson(`sandbox/advisories/${f}`, readFileSync(path.join(ROOT, 'sandbox', 'advisories', f), 'utf8')),
    );
    const declared = await declareIncident(client, config.temporal.taskQueue, {
      packages: advisories.flatMap((r) => r.advisories.flatMap((a) => a.affected)),
      advisoryIds: advisories.flatMap((r) => r.advisories.map((a) => a.id)),
      org: truth.org,
      since: truth.window.since,
      until: truth.window.until,
      severity: 'critical',
      initiator: INITIATOR,
      title: 'Mastra npm compromise (@mastra/core 1.42.1, dropper easy-day-js) — drill',
      drill: true,
      playbookFile,
      playbookLabel: 'playbooks/supply-chain-compromise.yaml (drill: 3s grace period)',
      obligations: loadObligationsFile(config.obligationsFile ?? DEFAULT_OBLIGATIONS_FILE),
    });
    log(`demo: declared ${declared.incidentId}; the drill on-call approves each step`);
    const handle = incidentHandle(client, declared.incidentId);
    const onCall = drillOnCall(
      client,
      declared.incidentId,
      INITIATOR,
      () => finished,
      (approver, stepId, request) =>
        request.proof === 'signed'
          ? castVote(
              client,
              declared.incidentId,
              { stepId, planHash: request.planHash, approver, decision: 'approve', channel: 'drill' },
              { keyFile: people.keyFile(approver) },
            ).then(() => undefined)
          : slack.approve(approver, declared.incidentId, stepId, request.planHash),
      { by: 'drill-lead', keyFile: people.keyFile('drill-lead') },
    );
    const final = await handle.result();
    finished = true;
    await onCall;
    const clocks = await obligationStates(client, final);
    const { dir: auditBundle } = await exportAuditBundle(client, declared.incidentId, path.join(runDir, 'audit'), {
      ...(config.codec ? { codec: config.codec } : {}),
      signer: audit.signer!,
    });
    // The drill audits itself: the bundle it just wrote must verify (signer, manifest, replay, approvals ledger).
    const verified = await verifyAuditBundle(auditBundle, config.codec, audit);
    // Without the run's codec key nobody could verify the bundle again: it is kept beside the bundle, owner-only.
    const keysFile = path.join(path.dirname(auditBundle), 'demo.keys');
    writeFileSync(keysFile, `${codecKeys}\n`, { mode: 0o600 });
    const verifyAgain = verifyCommand({
      keysFile: path.relative(process.cwd(), keysFile),
      bundle: path.relative(process.cwd(), auditBundle) || '.',
      trustedKeys: path.relative(process.cwd(), audit.trustedKeysFile),
    });
    const summary = {
      incidentId: final.incidentId,
      status: final.status,
      drill: true,
      playbook: final.playbook,
      steps: final.steps.map(stepSummary),
      auditBundle: path.relative(process.cwd(), auditBundle) || '.',
      auditSigner: {
        name: AUDIT_SIGNER,
        fingerprint: verified.signer?.fingerprint,
        trustedKeys: path.relative(process.cwd(), audit.trustedKeysFile),
      },
      auditVerify: {
        ok: verified.ok,
        checks: verified.checks,
        counted: verified.counted,
        violations: verified.violations,
      },
      notify: notifySummary(final, clocks, smtp.messages),
      encryption: { keyId, keysFile: path.relative(process.cwd(), keysFile) },
      verifyCommand: verifyAgain,
      aws: aws.mode === 'moto' ? { mode: 'moto', iamUsers: aws.seeded.users, iamRoles: aws.seeded.roles } : aws,
      credentials: credentialEffects(final.steps),
      sandbox: {
        org: truth.org,
        repos: truth.repos.length,
        seededExposedRepos: truth.exposedRepos,
        githubRequests: github.requests.length,
        openApiValidationFailures: github.validationFailures.length,
      },
      slack: slack.conversation(),
      timeline: notifier.events.map((e) => ({
        at: e.at,
        kind: e.kind,
        ...(e.stepId ? { step: e.stepId } : {}),
        text: e.text,
      })),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      process.stdout.write(`${summary.incidentId}: ${summary.status}\n`);
      for (const s of summary.steps)
        process.stdout.write(`  ${s.status.padEnd(12)} ${s.phase.padEnd(9)} ${s.id}  ${JSON.stringify(s.effects)}\n`);
      process.stdout.write(`audit bundle: ${summary.auditBundle} (signed by ${AUDIT_SIGNER})\n`);
      process.stdout.write(`audit verify: ${verified.ok ? 'OK' : 'FAILED'} ${JSON.stringify(verified.checks)}\n`);
      for (const v of verified.violations) process.stdout.write(`  violation ${v.code}: ${v.message}\n`);
      // On stderr, like the rest of the drill's narration; --json keeps stderr empty and carries it in the summary.
      process.stderr.write(`verify the bundle again with:\n  ${verifyAgain}\n`);
    }
    if (final.status !== 'completed' || !verified.ok) process.exitCode = 1;
  } finally {
    finished = true;
    await engine.stop();
    await slack.stop();
    await github.stop();
    await npmRegistry.stop();
    await pypi.stop();
    await crates.stop();
    await aws.stop();
    await smtp.stop();
    await server.stop();
  }
}

/**
 * An ed25519 key for the drill operator, made for this run in its state directory, and a trusted-keys file naming it:
 * the drill signs its bundle and verifies it exactly as an operator and an auditor would.
 */
function drillAuditKeys(runDir: string): ReturnType<typeof readAuditConfig> & { trustedKeysFile: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = path.join(runDir, 'audit-signing-key.pem');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const raw = Buffer.from(String(publicKey.export({ format: 'jwk' }).x), 'base64url');
  const trustedKeysFile = path.join(runDir, 'audit-trusted-keys');
  writeFileSync(trustedKeysFile, `${AUDIT_SIGNER} ${raw.toString('base64')}\n`);
  const config = readAuditConfig(
    {
      CORDON_AUDIT_SIGNING_KEY: keyFile,
      CORDON_AUDIT_SIGNER: AUDIT_SIGNER,
      CORDON_AUDIT_TRUSTED_KEYS: trustedKeysFile,
    },
    runDir,
  );
  return { ...config, trustedKeysFile };
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
