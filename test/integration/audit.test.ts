// The audit bundle on a real Temporal server with encryption on: export → verify passes on a completed incident,
// and each kind of tampering is caught and named — an edited event (with and without the key), a removed approval
// (from approvals.json, or its Update events from the history), an edited file, a missing file, an extra file.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { JSONToPayload, payloadToJSON, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import { BUNDLE_FILES } from '../../audit/export';
import { MANIFEST_FILE, sha256Hex, signManifest, type Manifest } from '../../audit/manifest';
import { verifyAuditBundle, type VerifyReport } from '../../audit/verify';
import { AesGcmPayloadCodec } from '../../codec/codec';
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

let root: string;
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

/** Recomputes the manifest's digests, re-signing it only when given the key (a tamperer may or may not hold it). */
function rewriteManifest(dir: string, key?: CodecConfig): void {
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
    const env = { TEMPORAL_ADDRESS: temporalAddress(), CORDON_TASK_QUEUE: engine.taskQueue, ...codecEnv };
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
    expect(m.signature).toMatchObject({ alg: 'HMAC-SHA256', keyId: 'audit-1' });
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
    });
    expect(out).toEqual({ code: 2, out: '', err: 'cordon audit: no incident incident-nope in namespace default\n' });
  });

  it('without the key, exports the raw history only and says why', async () => {
    const env = { TEMPORAL_ADDRESS: temporalAddress() };
    const out = await runCordon(['audit', 'export', incidentId, '--out', 'nokey'], root, env);
    expect(out.code).toBe(0);
    expect(out.err).toMatch(/encrypted and no key is configured/);
    expect(readdirSync(path.join(root, 'nokey')).sort()).toEqual(['history.json', MANIFEST_FILE]);
  });
});

describe('cordon audit verify', () => {
  it('passes on the exported bundle: manifest, signature, deterministic replay, ledger', async () => {
    const out = await runCordon(['audit', 'verify', 'bundle', '--json'], root, codecEnv);
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
  });

  it('verifies an incident exported while it waited for approval, from its queried state', async () => {
    const r = await verifyAuditBundle(path.join(root, 'running'), CODEC);
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
    rewriteManifest(dir, CODEC);
    const r = await verifyAuditBundle(dir, CODEC);
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
    rewriteManifest(dir, CODEC);
    const r = await verifyAuditBundle(dir, CODEC);
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
    const r = await verifyAuditBundle(dir, CODEC);
    expect(codes(r)).toEqual(expect.arrayContaining(['manifest.signature-invalid', 'history.payload-unreadable']));
  });

  it('catches an approval row removed from approvals.json, even re-signed', async () => {
    const dir = copy();
    const rows = JSON.parse(readFileSync(path.join(dir, 'approvals.json'), 'utf8')) as unknown[];
    writeFileSync(path.join(dir, 'approvals.json'), JSON.stringify(rows.slice(1), null, 2));
    rewriteManifest(dir, CODEC);
    const r = await verifyAuditBundle(dir, CODEC);
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
    rewriteManifest(dir, CODEC);
    const r = await verifyAuditBundle(dir, CODEC);
    expect(r.checks.replay).not.toBe('deterministic');
    expect(codes(r)).toEqual(expect.arrayContaining(['ledger.apply-without-approval', 'ledger.vote-missing']));
  });

  it('catches a file edited without updating the manifest, a missing file and an extra file', async () => {
    const edited = copy();
    writeFileSync(path.join(edited, 'timeline.md'), '# nothing happened\n');
    expect(codes(await verifyAuditBundle(edited, CODEC))).toEqual(
      expect.arrayContaining(['manifest.digest-mismatch', 'bundle.derived-mismatch']),
    );
    const missing = copy();
    rmSync(path.join(missing, 'state.json'));
    const r = await verifyAuditBundle(missing, CODEC);
    expect(codes(r)).toEqual(expect.arrayContaining(['manifest.missing-file']));
    expect(r.violations.map((v) => v.message).join('\n')).toMatch(/state\.json/);
    const extra = copy();
    writeFileSync(path.join(extra, 'notes.txt'), 'added later');
    expect(codes(await verifyAuditBundle(extra, CODEC))).toEqual(['manifest.extra-file']);
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
    const r = await verifyAuditBundle(fanOutBundle, CODEC);
    expect(r.violations).toEqual([]);
    expect(r.counted.applies).toBe(2);
  });

  it('catches a fan-out batch history removed, or one whose apply carries another plan hash', async () => {
    const removed = copy(fanOutBundle);
    rmSync(path.join(removed, 'child-pin-apply-1.json'));
    expect(codes(await verifyAuditBundle(removed, CODEC))).toEqual(
      expect.arrayContaining(['bundle.child-missing', 'manifest.missing-file']),
    );
    const edited = copy(fanOutBundle);
    const file = path.join(edited, 'child-pin-apply-0.json');
    const h = JSON.parse(readFileSync(file, 'utf8')) as { events: Event[] };
    const scheduled = h.events.find((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED')!;
    const input = attrs(scheduled, 'activityTaskScheduledEventAttributes').input as { payloads: JSONPayload[] };
    input.payloads[0] = await reencrypt(input.payloads[0]!, (v) => (v.planHash = 'e'.repeat(64)));
    writeFileSync(file, JSON.stringify(h, null, 2));
    rewriteManifest(edited, CODEC);
    expect(codes(await verifyAuditBundle(edited, CODEC))).toEqual(['ledger.child-mismatch']);
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
    rewriteManifest(dir, CODEC);
    const r = await verifyAuditBundle(dir, CODEC);
    expect(codes(r)).toEqual(['ledger.batch-item-missing', 'ledger.batch-item-unapproved']);
    expect(r.violations.map((v) => v.message).join('\n')).toMatch(/step pin batch 2\/2 .*"evil\/repo"/);
  });
});
