// The audit bundle on a real Temporal server with encryption on: export → verify passes on a completed incident and
// names its signer, and each kind of tampering is caught and named — an edited event (with and without the key), a
// removed approval (from approvals.json, or its Update events from the history), an edited file, a missing file, an
// extra file, a manifest re-signed with an unknown key or left unsigned, two events swapped (a replay that would
// never return: verify still exits 1, within its time limit).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import { BUNDLE_FILES } from '../../audit/export';
import { MANIFEST_FILE, sha256Hex, signManifest, type Manifest } from '../../audit/manifest';
import { verifyAuditBundle, type VerifyReport } from '../../audit/verify';
import { AesGcmPayloadCodec } from '../../codec/codec';
import { keyFingerprint, rawPublicKey, type AuditSigner } from '../../config/audit';
import type { CodecConfig } from '../../config/codec';
import { statusQuery, voteUpdate } from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { runCordon } from '../harness/cli';
import { compileForTest, eventually, incidentInput, startEngine, temporalAddress } from '../harness/engine';
import { newWorld, TEST_CATALOG, testActions } from '../harness/test-actions';
import { signedVote } from '../harness/people';
import { playbookFixture } from '../harness/fixtures';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYAUDIT0042';
const PLAN_ITEM = 'acme/payments-service:ci.yml';

const PLAYBOOK = playbookFixture('read-secret-then-change', { secret: SECRET });

// A mutating fan-out: its plans and applies run in batch child workflows, whose histories the bundle carries.
const FAN_OUT = playbookFixture('fan-out-change');

const CODEC: CodecConfig = { activeKeyId: 'audit-1', keys: { 'audit-1': randomBytes(32) } };
const codecEnv = { CORDON_CODEC_KEYS: JSON.stringify({ 'audit-1': CODEC.keys['audit-1']!.toString('base64') }) };
const codec = new AesGcmPayloadCodec(CODEC);

function signer(name: string): AuditSigner {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { name, privateKey, publicKey: rawPublicKey(privateKey) };
}
/** The exporting operator's key, which the auditor trusts under the name "ops-exporter". */
const EXPORTER = signer('ops-exporter');
/** Someone else's key, signing under the exporter's name. */
const MALLORY = signer('ops-exporter');
const TRUSTED = [{ name: 'ops-exporter', publicKey: EXPORTER.publicKey }];
/** The auditor's verify: the codec key, and the exporter's public key as the one trusted signer. */
const verify = (dir: string): Promise<VerifyReport> => verifyAuditBundle(dir, CODEC, { trustedKeys: TRUSTED });

let root: string;
/** CORDON_AUDIT_SIGNING_KEY and CORDON_AUDIT_SIGNER of the exporter, CORDON_AUDIT_TRUSTED_KEYS of the auditor. */
let signEnv: Record<string, string>;
let trustEnv: Record<string, string>;
let bundle: string;
let fanOutBundle: string;
let incidentId: string;

type Event = Record<string, unknown> & { eventId: string; eventType: string };

/** A copy of the exported bundle to tamper with. */
function copy(from = bundle): string {
  const dir = mkdtempSync(path.join(root, 'tampered-'));
  cpSync(from, dir, { recursive: true });
  return dir;
}

/** Recomputes the manifest's digests, re-signing it only when given a key (a tamperer may or may not hold one). */
function rewriteManifest(dir: string, key?: AuditSigner): void {
  const m = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  for (const f of Object.keys(m.files)) m.files[f] = sha256Hex(readFileSync(path.join(dir, f)));
  writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(key ? signManifest(m, key) : m, null, 2));
}

function readHistory(dir: string): { events: Event[] } {
  return JSON.parse(readFileSync(path.join(dir, 'history.json'), 'utf8')) as { events: Event[] };
}
function writeHistory(dir: string, h: { events: Event[] }): void {
  writeFileSync(path.join(dir, 'history.json'), JSON.stringify(h, null, 2));
}

/** Decrypts one JSON payload, lets `edit` change its value, and encrypts it again with the key. */
async function reencrypt(p: JSONPayload, edit: (v: Record<string, unknown>) => void): Promise<JSONPayload> {
  const [plain] = await codec.decode([JSONToPayload(p)]);
  const value = defaultPayloadConverter.fromPayload<Record<string, unknown>>(plain!);
  edit(value);
  const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
  return payloadToJSON(sealed!);
}

const attrs = (e: Event, key: string): Record<string, unknown> => e[key] as Record<string, unknown>;
const voteEvents = (h: { events: Event[] }): Event[] =>
  h.events.filter((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
const applyEvent = (h: { events: Event[] }): Event =>
  h.events.find(
    (e) =>
      e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED' &&
      (attrs(e, 'activityTaskScheduledEventAttributes').activityType as { name: string }).name === 'test.change:apply',
  )!;
const votePayloads = (e: Event): JSONPayload[] =>
  (
    attrs(e, 'workflowExecutionUpdateAcceptedEventAttributes').acceptedRequest as {
      input: { args: { payloads: JSONPayload[] } };
    }
  ).input.args.payloads;

const codes = (r: VerifyReport): string[] => [...new Set(r.violations.map((v) => v.code))].sort();

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'cordon-audit-'));
  writeFileSync(path.join(root, 'exporter.pem'), EXPORTER.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(path.join(root, 'trusted-keys'), `ops-exporter ${EXPORTER.publicKey.toString('base64')}\n`);
  signEnv = { CORDON_AUDIT_SIGNING_KEY: 'exporter.pem', CORDON_AUDIT_SIGNER: 'ops-exporter' };
  trustEnv = { CORDON_AUDIT_TRUSTED_KEYS: 'trusted-keys' };
  const engine = await startEngine(
    testActions(newWorld([PLAN_ITEM, 'acme/web:release.yml'])),
    { oncall: ['alice', 'bob', 'carol'] },
    CODEC,
  );
  try {
    const input = incidentInput(compileForTest(PLAYBOOK, TEST_CATALOG));
    incidentId = input.incidentId;
    const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
      taskQueue: engine.taskQueue,
      workflowId: input.incidentId,
      args: [input],
    });
    const planHash = await eventually(async () => {
      const s = await h.query(statusQuery);
      return s.steps[1]!.status === 'awaiting-approval' ? s.steps[1]!.approvals[0]!.planHash : undefined;
    });
    // An auditor may export an incident still waiting for approval.
    const env = { TEMPORAL_ADDRESS: temporalAddress(), CORDON_TASK_QUEUE: engine.taskQueue, ...codecEnv, ...signEnv };
    expect((await runCordon(['audit', 'export', incidentId, '--out', 'running'], root, env)).code).toBe(0);
    for (const approver of ['bob', 'carol'])
      await h.executeUpdate(voteUpdate, {
        args: [await signedVote(h, { stepId: 'change', planHash, approver, decision: 'approve', channel: 'cli' })],
      });
    expect((await h.result()).status).toBe('completed');
    const out = await runCordon(['audit', 'export', incidentId, '--out', 'bundle', '--json'], root, env);
    expect(out).toMatchObject({ code: 0, err: '' });
    bundle = path.join(root, 'bundle');

    const fan = incidentInput(compileForTest(FAN_OUT, TEST_CATALOG));
    const fh = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
      taskQueue: engine.taskQueue,
      workflowId: fan.incidentId,
      args: [fan],
    });
    const fanHash = await eventually(async () => {
      const s = await fh.query(statusQuery);
      return s.steps[1]!.status === 'awaiting-approval' ? s.steps[1]!.approvals[0]!.planHash : undefined;
    });
    await fh.executeUpdate(voteUpdate, {
      args: [
        await signedVote(fh, {
          stepId: 'pin',
          planHash: fanHash,
          approver: 'U0BOB',
          decision: 'approve',
          channel: 'slack',
        }),
      ],
    });
    expect((await fh.result()).status).toBe('completed');
    expect((await runCordon(['audit', 'export', fan.incidentId, '--out', 'fan-out'], root, env)).code).toBe(0);
    fanOutBundle = path.join(root, 'fan-out');
  } finally {
    await engine.stop();
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('cordon audit export', () => {
  it('writes every file of the bundle, listed with its digest in a signed manifest', () => {
    expect(readdirSync(bundle).sort()).toEqual([...BUNDLE_FILES, MANIFEST_FILE].sort());
    const m = JSON.parse(readFileSync(path.join(bundle, MANIFEST_FILE), 'utf8')) as Manifest;
    expect(Object.keys(m.files)).toEqual([...BUNDLE_FILES]);
    expect(m.signature).toMatchObject({
      alg: 'Ed25519',
      signer: 'ops-exporter',
      publicKey: EXPORTER.publicKey.toString('base64'),
      fingerprint: keyFingerprint(EXPORTER.publicKey),
    });
  });

  it('derives the approvals ledger from the history: step, plan hash, approver, decision, time, channel', () => {
    const ledger = JSON.parse(readFileSync(path.join(bundle, 'approvals.json'), 'utf8')) as Record<string, unknown>[];
    expect(ledger.map((r) => [r.step, r.round, r.approver, r.decision, r.channel])).toEqual([
      ['change', 1, 'bob', 'approve', 'cli'],
      ['change', 1, 'carol', 'approve', 'cli'],
    ]);
    for (const r of ledger) {
      expect(r.planHash).toMatch(/^[0-9a-f]{64}$/);
      expect(typeof r.eventId).toBe('number');
      expect(Number.isNaN(Date.parse(String(r.at)))).toBe(false);
    }
  });

  it('keeps secrets and plan details out of the raw history, and shows them in the decoded one', () => {
    // Every string of the raw history, and its base64 decoding (how payload data is written in clear).
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v, Buffer.from(v, 'base64').toString('latin1'));
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(JSON.parse(readFileSync(path.join(bundle, 'history.json'), 'utf8')));
    const raw = strings.join('\n');
    for (const clear of [SECRET, PLAN_ITEM, '"approver":"bob"', '"planHash"']) expect(raw).not.toContain(clear);
    const decoded = readFileSync(path.join(bundle, 'history.decoded.json'), 'utf8');
    expect(decoded).toContain(SECRET);
    expect(decoded).toContain(PLAN_ITEM);
  });

  it('writes a timeline in Markdown and as a self-contained HTML page with a chart', () => {
    const md = readFileSync(path.join(bundle, 'timeline.md'), 'utf8');
    expect(md).toContain('| vote | bob approve plan');
    expect(md).toContain('approval-requested');
    const html = readFileSync(path.join(bundle, 'timeline.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('class="deadline"');
    // Self-contained: nothing loaded from elsewhere.
    expect(html).not.toMatch(/<(script|link|img)\b[^>]*(src|href)=/);
  });

  it('exits 2 with one usage line on bad arguments', async () => {
    expect(await runCordon(['audit'], root, {})).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^cordon audit: usage: /),
    });
    expect(await runCordon(['audit', 'export', 'incident-x'], root, {})).toEqual({
      code: 2,
      out: '',
      err: 'cordon audit: audit export needs --out DIR\n',
    });
    expect((await runCordon(['audit', 'verify'], root, {})).err).toMatch(/^cordon audit: audit verify needs one DIR/);
    expect((await runCordon(['audit', 'verify', 'nowhere'], root, {})).out).toMatch(/violation manifest\.missing: /);
  });

  it('names an unknown incident in one line and exits 2', async () => {
    const out = await runCordon(['audit', 'export', 'incident-nope', '--out', 'nope'], root, {
      TEMPORAL_ADDRESS: temporalAddress(),
      ...signEnv,
    });
    expect(out).toEqual({ code: 2, out: '', err: 'cordon audit: no incident incident-nope in namespace default\n' });
  });

  it('without the key, exports the raw history only and says why', async () => {
    const env = { TEMPORAL_ADDRESS: temporalAddress(), ...signEnv };
    const out = await runCordon(['audit', 'export', incidentId, '--out', 'nokey'], root, env);
    expect(out.code).toBe(0);
    expect(out.err).toMatch(/encrypted and no key is configured/);
    expect(readdirSync(path.join(root, 'nokey')).sort()).toEqual(['history.json', MANIFEST_FILE]);
  });
});

describe('cordon audit verify', () => {
  it('passes on the exported bundle: manifest, signature, deterministic replay, ledger', async () => {
    const out = await runCordon(['audit', 'verify', 'bundle', '--json'], root, { ...codecEnv, ...trustEnv });
    const report = JSON.parse(out.out) as VerifyReport;
    expect(report.violations).toEqual([]);
    expect(report.checks).toEqual({
      manifest: 'ok',
      signature: 'ok',
      replay: 'deterministic',
      ledger: 'ok',
      derivedFiles: 'ok',
    });
    expect(report.counted).toMatchObject({ votes: 2, applies: 1 });
    expect(out.code).toBe(0);
    // The signer is named from the auditor's trusted set.
    expect(report.signer).toEqual({ name: 'ops-exporter', fingerprint: keyFingerprint(EXPORTER.publicKey) });
    const text = await runCordon(['audit', 'verify', 'bundle'], root, { ...codecEnv, ...trustEnv });
    expect(text.out).toContain(`signed by ops-exporter (${keyFingerprint(EXPORTER.publicKey)})`);
  });

  it('verifies an incident exported while it waited for approval, from its queried state', async () => {
    const r = await verify(path.join(root, 'running'));
    expect(r.violations).toEqual([]);
    expect(r.checks.replay).toBe('deterministic');
    expect(r.counted).toMatchObject({ votes: 0, applies: 0 });
    expect(r.warnings).toEqual([expect.stringMatching(/had not completed/)]);
    const state = JSON.parse(readFileSync(path.join(root, 'running', 'state.json'), 'utf8')) as { status: string };
    expect(state.status).toBe('awaiting-approval');
  });

  it('refuses to vouch for an encrypted history without the key', async () => {
    const out = await runCordon(['audit', 'verify', 'bundle'], root, {});
    expect(out.code).toBe(1);
    expect(out.out).toMatch(/violation verify\.no-key/);
  });

  it('catches an approver name edited in the vote event by someone holding the key', async () => {
    const dir = copy();
    const h = readHistory(dir);
    const payloads = votePayloads(voteEvents(h)[0]!);
    payloads[0] = await reencrypt(payloads[0]!, (v) => (v.approver = 'mallory'));
    writeHistory(dir, h);
    rewriteManifest(dir, EXPORTER);
    const r = await verify(dir);
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(
      expect.arrayContaining(['ledger.approver-not-in-group', 'ledger.vote-mismatch', 'ledger.vote-missing']),
    );
    expect(r.violations.map((v) => v.message).join('\n')).toMatch(/mallory/);
  });

  it('catches a plan hash edited in the apply event by someone holding the key', async () => {
    const dir = copy();
    const h = readHistory(dir);
    const input = attrs(applyEvent(h), 'activityTaskScheduledEventAttributes').input as { payloads: JSONPayload[] };
    input.payloads[0] = await reencrypt(input.payloads[0]!, (v) => (v.planHash = 'f'.repeat(64)));
    writeHistory(dir, h);
    rewriteManifest(dir, EXPORTER);
    const r = await verify(dir);
    expect(codes(r)).toEqual(expect.arrayContaining(['ledger.plan-hash-mismatch', 'ledger.apply-without-approval']));
  });

  it('catches an event edited without the key, even with the digests recomputed', async () => {
    const dir = copy();
    const h = readHistory(dir);
    const p = votePayloads(voteEvents(h)[0]!)[0]!;
    const data = Buffer.from(p.data!, 'base64');
    data[20] = data[20]! ^ 0x01;
    p.data = data.toString('base64');
    writeHistory(dir, h);
    rewriteManifest(dir);
    const r = await verify(dir);
    expect(codes(r)).toEqual(expect.arrayContaining(['manifest.signature-invalid', 'history.payload-unreadable']));
  });

  it('catches an approval row removed from approvals.json, even re-signed', async () => {
    const dir = copy();
    const rows = JSON.parse(readFileSync(path.join(dir, 'approvals.json'), 'utf8')) as unknown[];
    writeFileSync(path.join(dir, 'approvals.json'), JSON.stringify(rows.slice(1), null, 2));
    rewriteManifest(dir, EXPORTER);
    const r = await verify(dir);
    expect(codes(r)).toEqual(['ledger.approval-missing']);
    expect(r.violations[0]!.message).toMatch(/change round 1: bob approve/);
  });

  it('catches a vote removed from the history (its Update events), even re-signed', async () => {
    const dir = copy();
    const h = readHistory(dir);
    const accepted = voteEvents(h)[0]!;
    const updateId = (
      attrs(accepted, 'workflowExecutionUpdateAcceptedEventAttributes').acceptedRequest as {
        meta: { updateId: string };
      }
    ).meta.updateId;
    h.events = h.events.filter(
      (e) =>
        e !== accepted &&
        !(
          e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED' &&
          (attrs(e, 'workflowExecutionUpdateCompletedEventAttributes').meta as { updateId: string }).updateId ===
            updateId
        ),
    );
    writeHistory(dir, h);
    rewriteManifest(dir, EXPORTER);
    const r = await verify(dir);
    expect(r.checks.replay).not.toBe('deterministic');
    expect(codes(r)).toEqual(expect.arrayContaining(['ledger.apply-without-approval', 'ledger.vote-missing']));
  });

  it('catches a file edited without updating the manifest, a missing file and an extra file', async () => {
    const edited = copy();
    writeFileSync(path.join(edited, 'timeline.md'), '# nothing happened\n');
    expect(codes(await verify(edited))).toEqual(
      expect.arrayContaining(['manifest.digest-mismatch', 'bundle.derived-mismatch']),
    );
    const missing = copy();
    rmSync(path.join(missing, 'state.json'));
    const r = await verify(missing);
    expect(codes(r)).toEqual(expect.arrayContaining(['manifest.missing-file']));
    expect(r.violations.map((v) => v.message).join('\n')).toMatch(/state\.json/);
    const extra = copy();
    writeFileSync(path.join(extra, 'notes.txt'), 'added later');
    expect(codes(await verify(extra))).toEqual(['manifest.extra-file']);
  });

  it('carries, replays and cross-checks the histories of fan-out batches (plans and applies in child workflows)', async () => {
    const children = readdirSync(fanOutBundle).filter((f) => f.startsWith('child-'));
    expect(children.sort()).toEqual([
      'child-pin-apply-0.json',
      'child-pin-apply-1.json',
      'child-pin-plan-1-0.json',
      'child-pin-plan-1-1.json',
      'child-pin-plan-2-0.json',
      'child-pin-plan-2-1.json',
    ]);
    const r = await verify(fanOutBundle);
    expect(r.violations).toEqual([]);
    expect(r.counted.applies).toBe(2);
  });

  it('catches a fan-out batch history removed, or one whose apply carries another plan hash', async () => {
    const removed = copy(fanOutBundle);
    rmSync(path.join(removed, 'child-pin-apply-1.json'));
    expect(codes(await verify(removed))).toEqual(
      expect.arrayContaining(['bundle.child-missing', 'manifest.missing-file']),
    );
    const edited = copy(fanOutBundle);
    const file = path.join(edited, 'child-pin-apply-0.json');
    const h = JSON.parse(readFileSync(file, 'utf8')) as { events: Event[] };
    const scheduled = h.events.find((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')!;
    const input = attrs(scheduled, 'activityTaskScheduledEventAttributes').input as { payloads: JSONPayload[] };
    input.payloads[0] = await reencrypt(input.payloads[0]!, (v) => (v.planHash = 'e'.repeat(64)));
    writeFileSync(file, JSON.stringify(h, null, 2));
    rewriteManifest(edited, EXPORTER);
    expect(codes(await verify(edited))).toEqual(['ledger.child-mismatch']);
  });

  it('catches a fan-out batch whose apply was given an item nobody approved in place of an approved one, even re-signed', async () => {
    const dir = copy(fanOutBundle);
    const file = path.join(dir, 'child-pin-apply-1.json');
    const h = JSON.parse(readFileSync(file, 'utf8')) as { events: Event[] };
    const scheduled = h.events.find((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')!;
    const input = attrs(scheduled, 'activityTaskScheduledEventAttributes').input as { payloads: JSONPayload[] };
    input.payloads[0] = await reencrypt(input.payloads[0]!, (v) => {
      (v.plan as { items: unknown[] }).items[0] = 'evil/repo';
    });
    writeFileSync(file, JSON.stringify(h, null, 2));
    rewriteManifest(dir, EXPORTER);
    const r = await verify(dir);
    expect(codes(r)).toEqual(['ledger.batch-item-missing', 'ledger.batch-item-unapproved']);
    expect(r.violations.map((v) => v.message).join('\n')).toMatch(/step pin batch 2\/2 .*"evil\/repo"/);
  });
});

describe('cordon audit verify on forged bundles: exit 1 with a named violation, within a minute', () => {
  /** The auditor's CLI verify, with the codec key and the exporter as the one trusted signer. */
  const cliVerify = (dir: string, ...flags: string[]) =>
    runCordon(['audit', 'verify', path.relative(root, dir), '--json', ...flags], root, { ...codecEnv, ...trustEnv });
  const cliCodes = (out: { out: string }): string[] => codes(JSON.parse(out.out) as VerifyReport);

  it('refuses to export without a signing key, in one line, unless told --unsigned; verify fails that bundle', async () => {
    const env = { TEMPORAL_ADDRESS: temporalAddress(), ...codecEnv };
    const refused = await runCordon(['audit', 'export', incidentId, '--out', 'unsigned'], root, env);
    expect(refused).toEqual({
      code: 2,
      out: '',
      err: expect.stringMatching(
        /^cordon audit: audit export needs a signing key: set CORDON_AUDIT_SIGNING_KEY .*--unsigned\n$/,
      ),
    });
    expect(readdirSync(root)).not.toContain('unsigned');
    const out = await runCordon(['audit', 'export', incidentId, '--out', 'unsigned', '--unsigned'], root, env);
    expect(out.code).toBe(0);
    expect(out.err).toMatch(/warning: the manifest is unsigned/);
    const v = await cliVerify(path.join(root, 'unsigned'));
    expect(v.code).toBe(1);
    expect(cliCodes(v)).toEqual(['manifest.unsigned']);
  });

  it('fails a manifest whose signature was removed', async () => {
    const dir = copy();
    const m = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    delete m.signature;
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2));
    const v = await cliVerify(dir);
    expect(v.code).toBe(1);
    expect(cliCodes(v)).toEqual(['manifest.unsigned']);
  });

  it('fails an approver re-attributed with the codec key and re-signed with an unknown key, naming that key', async () => {
    const dir = copy();
    const h = readHistory(dir);
    const payloads = votePayloads(voteEvents(h)[0]!);
    payloads[0] = await reencrypt(payloads[0]!, (v) => (v.approver = 'alice'));
    writeHistory(dir, h);
    rewriteManifest(dir, MALLORY);
    const v = await cliVerify(dir);
    expect(v.code).toBe(1);
    const report = JSON.parse(v.out) as VerifyReport;
    expect(report.signer).toBeUndefined();
    expect(codes(report)).toContain('manifest.signer-untrusted');
    expect(report.violations.find((x) => x.code === 'manifest.signer-untrusted')!.message).toContain(
      keyFingerprint(MALLORY.publicKey),
    );
  });

  it('fails an untouched bundle re-signed with an unknown key, and one whose signature names the trusted key', async () => {
    const dir = copy();
    rewriteManifest(dir, MALLORY);
    const v = await cliVerify(dir);
    expect(v.code).toBe(1);
    expect(cliCodes(v)).toEqual(['manifest.signer-untrusted']);
    // Pointing the signature at the trusted key does not make it the trusted key's signature.
    const m = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    m.signature!.publicKey = EXPORTER.publicKey.toString('base64');
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(m, null, 2));
    const pointed = await cliVerify(dir);
    expect(pointed.code).toBe(1);
    expect(cliCodes(pointed)).toEqual(['manifest.signature-invalid']);
  });

  // Three swaps of adjacent events, each re-signed by the exporter so that only the order is wrong. The first
  // workflow task's scheduled/started pair makes the replay either fail or wait forever, from one run to the next
  // (killed at the time limit); the second task's makes the SDK's core panic, after which an in-process replay never
  // returned (killed as soon as it reports the panic); an activity's fails the replay.
  const firstTask = (h: { events: Event[] }): number =>
    h.events.findIndex((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED');
  const secondTask = (h: { events: Event[] }): number =>
    h.events.findIndex((e, i) => i > firstTask(h) && e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED');
  const firstActivity = (h: { events: Event[] }): number =>
    h.events.findIndex((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
  it.each([
    // A replay that fails and one that never ends (killed at the time limit) are both violations; which one a
    // swap yields can depend on how fast the child process gets there, so either counts.
    ['the first workflow task', firstTask, /^replay\.(failed|timeout)$/],
    ['the second workflow task (a panic in the core)', secondTask, /^replay\.(failed|timeout)$/],
    ["an activity's", firstActivity, /^replay\.(failed|timeout)$/],
  ])(
    'fails a history with the scheduled and started events of %s swapped, within a minute with the default time limit',
    async (_what, at, code) => {
      const dir = copy();
      const h = readHistory(dir);
      const i = at(h);
      expect(i).toBeGreaterThan(0);
      [h.events[i], h.events[i + 1]] = [h.events[i + 1]!, h.events[i]!];
      writeHistory(dir, h);
      rewriteManifest(dir, EXPORTER);
      const started = Date.now();
      const v = await cliVerify(dir);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(v.code).toBe(1);
      const report = JSON.parse(v.out) as VerifyReport;
      const replayed = report.violations.filter((x) => x.code.startsWith('replay.'));
      expect(replayed).toEqual([
        { code: expect.stringMatching(code), message: expect.stringMatching(/^history\.json: /) },
      ]);
      expect(`replay.${report.checks.replay}`).toBe(replayed[0]!.code);
    },
    90_000,
  );

  it('names a replay that outlives its time limit, and stops it there', async () => {
    // Far too short for any replay (the replay process alone takes longer to start): the limit must end it.
    const started = Date.now();
    const v = await cliVerify(bundle, '--replay-timeout', '0.2');
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(v.code).toBe(1);
    const report = JSON.parse(v.out) as VerifyReport;
    expect(report.checks.replay).toBe('timeout');
    expect(report.violations).toEqual([
      { code: 'replay.timeout', message: 'history.json: did not finish replaying: no result within 0.2 s' },
    ]);
  });
});
