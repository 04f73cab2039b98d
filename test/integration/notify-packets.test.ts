// Notification packets on the real Temporal server, delivered to a real SMTP server on loopback and read back:
// what arrives is exactly the approved packet, once; a packet edited after approval is not sent.
import { mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createNotifyActivities, type PacketItem } from '../../activities/notify';
import { actionActivities, type ActionHandlers } from '../../activities/registry';
import type { ActionPlan, ApplyCall } from '../../activities/types';
import { DEFAULT_ACTIONS } from '../../domain/actions';
import { hashJson } from '../../domain/canonical-json';
import {
  noticeSentSignal,
  obligationQuery,
  statusQuery,
  voteUpdate,
  type IncidentState,
  type StepState,
} from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { compileForTest, eventually, incidentInput, startEngine, type TestEngine } from '../harness/engine';
import { startSmtpSink, type SmtpSink } from '../harness/smtp-sink';
import { newWorld, TEST_CATALOG, testActions } from '../harness/test-actions';
import { obligationsForTest } from '../harness/obligations';
import { signedVote } from '../harness/people';
import { obligationsFixture, playbookFixture } from '../harness/fixtures';

const OBLIGATIONS = obligationsFixture('counsel-and-insurer');

const PLAYBOOK = playbookFixture('notify-counsel-and-insurer');

describe('notification packets', () => {
  let engine: TestEngine;
  let smtp: SmtpSink;
  let handlers: ActionHandlers;
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-notify-'));
  const obligationsFile = path.join(dir, 'obligations.yaml');
  const obligations = obligationsForTest(OBLIGATIONS);
  const playbook = compileForTest(PLAYBOOK, {
    ...TEST_CATALOG,
    'notify.sendPackets': DEFAULT_ACTIONS['notify.sendPackets']!,
  });

  beforeAll(async () => {
    writeFileSync(obligationsFile, OBLIGATIONS);
    smtp = await startSmtpSink();
    handlers = createNotifyActivities({
      obligationsFile,
      stateDir: dir,
      smtp: { url: smtp.url, from: 'cordon@acme.example' },
    });
    engine = await startEngine({ ...testActions(newWorld()), ...handlers }, { legal: ['carol'] });
  });
  afterAll(async () => {
    await engine?.stop();
    await smtp?.stop();
  });

  const declare = async () => {
    const input = incidentInput(playbook, { obligations, title: 'Mastra npm compromise' });
    const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
      taskQueue: engine.taskQueue,
      workflowId: input.incidentId,
      args: [input],
    });
    return { input, h };
  };
  const awaitingApproval = (h: Awaited<ReturnType<typeof declare>>['h'], round = 1) =>
    eventually(async () => {
      const s: StepState = (await h.query(statusQuery)).steps.find((x) => x.id === 'notify')!;
      return s.status === 'awaiting-approval' && s.approvals.length === round ? s : undefined;
    });
  const vote = async (h: Awaited<ReturnType<typeof declare>>['h'], s: StepState, decision: 'approve' | 'reject') =>
    h.executeUpdate(voteUpdate, {
      args: [
        await signedVote(h, {
          stepId: 'notify',
          planHash: s.plan!.hash,
          approver: 'carol',
          decision,
          channel: 'api',
          reason: 'test',
        }),
      ],
    });
  // The handlers called directly, outside an activity: the test's client reads the incident and signals clocks. Made
  // when needed, so the sent ledger is read after the workflow's own apply wrote it.
  const direct = () =>
    createNotifyActivities({
      obligationsFile,
      stateDir: dir,
      smtp: { url: smtp.url, from: 'cordon@acme.example' },
      readIncident: (ctx) => engine.client.workflow.getHandle(ctx.incidentId).query(statusQuery),
      noticeSent: (id, n) => engine.client.workflow.getHandle(id).signal(noticeSentSignal, n),
    });
  const mailFor = async (incidentId: string) =>
    (await smtp.parsed()).filter((m) => m.parsed.subject?.includes(incidentId));

  it('builds each packet from the incident facts, shows it for approval, and e-mails exactly the approved bytes', async () => {
    const { input, h } = await declare();
    const step = await awaitingApproval(h);
    const items = step.plan!.items as PacketItem[];
    expect(items.map((i) => i.recipient)).toEqual(['counsel', 'insurer']);
    expect(step.plan!.irreversible).toBe(true);
    // Slack is not wired in this worker: the approver sees it in the plan instead of a silent gap.
    expect(step.plan!.details).toMatchObject({ warning: [expect.stringMatching(/^insurer: slack #insurer/)] });
    const counsel = items[0]!;
    // The packet comes from the incident's facts: advisory, exposure counts, credentials, deadlines, open questions.
    expect(counsel.markdown).toContain(`# \\[DRILL\\] Security incident notice ${input.incidentId}`);
    expect(counsel.markdown).toContain('- Repositories with an affected install: 2');
    expect(counsel.markdown).toContain('- AWS\\_ACCESS\\_KEY\\_ID (repository, acme/web)');
    expect(counsel.markdown).toContain('- Affected: npm @mastra/core 1.42.1');
    expect(counsel.markdown).toMatch(/- counsel-engaged \(counsel\): due /);
    expect(counsel.markdown).toMatch(/- insurer-notice \(insurer\): due /);
    expect(counsel.markdown).toContain('Could personal data have been exposed?');
    // The step being planned is itself pending in the packet it sends.
    expect(counsel.markdown).toContain('## Actions pending');
    expect(readFileSync(counsel.markdownPath, 'utf8')).toBe(counsel.markdown);
    expect(readFileSync(counsel.htmlPath, 'utf8')).toMatch(
      /^<!doctype html>[\s\S]*<li>Repositories with an affected install: 2<\/li>/,
    );

    await vote(h, step, 'approve');
    const final = await h.result();
    const s = final.steps.find((x) => x.id === 'notify')!;
    expect(s.status).toBe('succeeded');
    const mails = await mailFor(input.incidentId);
    expect(mails.map((m) => m.envelopeTo).sort()).toEqual([['claims@insurer.example'], ['counsel@law.example']]);
    for (const item of items) {
      const mail = mails.find(
        (m) => m.envelopeTo[0] === (item.recipient === 'counsel' ? 'counsel@law.example' : 'claims@insurer.example'),
      )!;
      expect(mail.parsed.text?.replace(/\n$/, '')).toBe(item.markdown.replace(/\n$/, ''));
      expect(mail.parsed.html).toBe(readFileSync(item.htmlPath, 'utf8'));
      expect(mail.parsed.from?.text).toBe('cordon@acme.example');
      // The PDF rendering rides along as an attachment, byte for byte the approved file.
      expect(mail.parsed.attachments.map((a) => [a.filename, a.contentType])).toEqual([
        [`${item.recipient}.pdf`, 'application/pdf'],
      ]);
      expect(mail.parsed.attachments[0]!.content.equals(readFileSync(item.pdfPath))).toBe(true);
      expect(readFileSync(item.pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
      const sent = (s.effects!.sent as { recipient: string; to: string; messageId: string; sha256: string }[]).find(
        (x) => x.recipient === item.recipient,
      )!;
      expect(mail.parsed.messageId).toBe(sent.messageId);
      expect(sent.sha256).toBe(item.sha256.markdown);
      // The recipient's obligation knows its notice went out, and which packet; its clock runs until acknowledged.
      const obligation = final.obligations!.find((o) => o.who === item.recipient)!;
      const clock = await engine.client.workflow.getHandle(obligation.workflowId).query(obligationQuery);
      expect(clock.status).toBe('open');
      expect(clock.sent).toEqual([
        { at: expect.any(String), channel: 'email', to: sent.to, messageId: sent.messageId, sha256: sent.sha256 },
      ]);
    }
  });

  it('never sends a delivery twice: a retried apply finds it in the sent ledger', async () => {
    const { input, h } = await declare();
    const step = await awaitingApproval(h);
    await vote(h, step, 'approve');
    await h.result();
    const before = (await smtp.parsed()).length;
    const plan = step.plan!.items;
    const full: ActionPlan = {
      summary: step.plan!.summary,
      items: plan,
      irreversible: true,
      details: step.plan!.details!,
    };
    const apply = actionActivities(direct())['notify.sendPackets:apply']!;
    const again = (await apply({
      ctx: {
        incidentId: input.incidentId,
        stepId: 'notify',
        idempotencyKey: `${input.incidentId}/notify`,
        drill: true,
      },
      plan: full,
      planHash: hashJson(full),
    } as ApplyCall)) as { alreadySent: number };
    expect(again.alreadySent).toBe(2);
    expect((await smtp.parsed()).length).toBe(before);
    // The retry told the obligations again; each records the notice once.
    const ref = (await h.query(statusQuery)).obligations!.find((o) => o.who === 'insurer')!;
    const clock = await engine.client.workflow.getHandle(ref.workflowId).query(obligationQuery);
    expect(clock.sent).toHaveLength(1);
  });

  it('a packet edited after approval is not sent: the plan changed, so approval is asked again', async () => {
    const { input, h } = await declare();
    const step = await awaitingApproval(h);
    const counsel = (step.plan!.items as PacketItem[])[0]!;
    appendFileSync(counsel.markdownPath, '\nP.S. nothing to worry about.\n');
    await vote(h, step, 'approve');
    const round2 = await awaitingApproval(h, 2);
    expect(round2.plan!.hash).not.toBe(step.plan!.hash);
    expect((round2.plan!.items as PacketItem[])[0]!.markdown).toContain('nothing to worry about');
    await vote(h, round2, 'reject');
    const final: IncidentState = await h.result();
    expect(final.steps.find((x) => x.id === 'notify')!.status).toBe('rejected');
    expect(await mailFor(input.incidentId)).toEqual([]);
  });

  it('apply refuses a stored packet that differs from the approved digest and sends nothing', async () => {
    const { input, h } = await declare();
    const step = await awaitingApproval(h);
    await vote(h, step, 'reject');
    await h.result();
    const items = step.plan!.items as PacketItem[];
    writeFileSync(
      items[1]!.htmlPath,
      readFileSync(items[1]!.htmlPath, 'utf8').replace('affected install: 2', 'affected install: 0'),
    );
    const plan: ActionPlan = { summary: step.plan!.summary, items, irreversible: true };
    const apply = actionActivities(direct())['notify.sendPackets:apply']!;
    await expect(
      apply({
        ctx: {
          incidentId: input.incidentId,
          stepId: 'notify',
          idempotencyKey: `${input.incidentId}/notify/x`,
          drill: true,
        },
        plan,
        planHash: hashJson(plan),
      } as ApplyCall),
    ).rejects.toMatchObject({ type: 'PACKET_CHANGED' });
    expect(await mailFor(input.incidentId)).toEqual([]);
  });
});

describe('notification packets with no deliverable channel', () => {
  let engine: TestEngine;
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-notify-none-'));
  const obligationsFile = path.join(dir, 'obligations.yaml');
  const playbook = compileForTest(PLAYBOOK, {
    ...TEST_CATALOG,
    'notify.sendPackets': DEFAULT_ACTIONS['notify.sendPackets']!,
  });

  beforeAll(async () => {
    writeFileSync(obligationsFile, OBLIGATIONS);
    // No SMTP and no Slack: counsel, reachable only by e-mail, cannot be reached at all.
    const handlers = createNotifyActivities({ obligationsFile, stateDir: dir });
    engine = await startEngine({ ...testActions(newWorld()), ...handlers }, { legal: ['carol'] });
  });
  afterAll(async () => engine?.stop());

  it('fails the step at plan time with the reason, never asking legal to approve a send that sends nothing', async () => {
    const input = incidentInput(playbook, { obligations: obligationsForTest(OBLIGATIONS), title: 'no channel' });
    const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
      taskQueue: engine.taskQueue,
      workflowId: input.incidentId,
      args: [input],
    });
    const step = await eventually(async () => {
      const s: StepState = (await h.query(statusQuery)).steps.find((x) => x.id === 'notify')!;
      return s.status === 'failed' ? s : undefined;
    });
    expect(step.error).toContain(
      'no deliverable channel for counsel: email counsel@law.example (no SMTP configured: set CORDON_SMTP_URL)',
    );
    expect(step.approvals).toEqual([]);
    expect(step.plan).toBeUndefined();
  });
});
