import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SentLedger, sendPacketsAction, type PacketItem, type PacketMail } from '../../../../activities/notify';
import { renderPdf } from '../../../../activities/notify/pdf';
import type { ActionContext } from '../../../../activities/types';
import { buildPacket, type PacketSource } from '../../../../domain/notify';

const incident: PacketSource = {
  incidentId: 'incident-unit',
  title: 'unit',
  severity: 'high',
  org: 'acme',
  initiator: 'alice',
  since: '2026-06-17T00:00:00.000Z',
  startedAt: '2026-06-18T00:00:00.000Z',
  drill: true,
  advisoryIds: [],
  packages: [],
  steps: [],
};
const ctx: ActionContext = {
  incidentId: 'incident-unit',
  stepId: 'notify',
  idempotencyKey: 'incident-unit/notify',
  drill: true,
};
const parties = {
  counsel: { name: 'Counsel', channels: [{ email: 'counsel@example.com' }, { slack: '#legal' }] },
};

function setup(withMailer: boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-send-packets-'));
  const mails: PacketMail[] = [];
  let reads = 0;
  const action = sendPacketsAction({
    parties,
    packetDir: dir,
    sent: new SentLedger(path.join(dir, 'sent.jsonl')),
    readIncident: async () => {
      reads++;
      return incident;
    },
    ...(withMailer ? { mailer: { send: async (m: PacketMail) => (mails.push(m), { response: '250 ok' }) } } : {}),
  });
  return { action, mails, reads: () => reads };
}

describe('notify.sendPackets', () => {
  it('refuses targets that are not parties of the obligations file, naming the known ones', async () => {
    const { action } = setup(true);
    await expect(action.plan!({ targets: ['counsel', 'broker'] }, ctx)).rejects.toMatchObject({
      type: 'UNKNOWN_PARTY',
      nonRetryable: true,
      message: expect.stringMatching(/parties of the obligations file \(counsel\); got \["counsel","broker"\]/),
    });
    await expect(action.plan!({}, ctx)).rejects.toMatchObject({ type: 'UNKNOWN_PARTY' });
  });

  it('builds a packet once per step: a second plan reads the stored packet back, the same plan', async () => {
    const { action, reads } = setup(true);
    const first = await action.plan!({ targets: ['counsel'] }, ctx);
    const second = await action.plan!({ targets: ['counsel'] }, ctx);
    expect(second).toEqual(first);
    expect(reads()).toBe(1);
    const item: PacketItem = first.items[0]!;
    expect(readFileSync(item.markdownPath, 'utf8')).toBe(item.markdown);
  });

  it('fails at plan time, saying why, when a recipient has no deliverable channel', async () => {
    const { action, reads } = setup(false);
    await expect(action.plan!({ targets: ['counsel'] }, ctx)).rejects.toMatchObject({
      type: 'NOTIFY_NOT_CONFIGURED',
      nonRetryable: true,
      message:
        'notify.sendPackets: no deliverable channel for counsel: email counsel@example.com (no SMTP configured: set ' +
        'CORDON_SMTP_URL); slack #legal (Slack delivery is not wired in this worker)',
    });
    // Refused before anything was built: no approver is ever shown a packet that cannot go out.
    expect(reads()).toBe(0);
  });

  it('lists the channels it cannot deliver to in the plan, for the approver to see', async () => {
    const { action } = setup(true);
    const plan = await action.plan!({ targets: ['counsel'] }, ctx);
    expect(plan.items[0]!.deliveries).toEqual([{ channel: 'email', to: 'counsel@example.com' }]);
    expect(plan.summary).toBe('send 1 notification packet(s): counsel (email counsel@example.com)');
    expect(plan.details!.warning).toEqual(['counsel: slack #legal (Slack delivery is not wired in this worker)']);
  });

  it('refuses to apply a plan with a recipient it cannot reach, sending nothing', async () => {
    const { action, mails } = setup(true);
    const plan = await action.plan!({ targets: ['counsel'] }, ctx);
    const unreachable = { ...plan, items: plan.items.map((i) => ({ ...i, deliveries: [] })) };
    await expect(action.apply!(unreachable, ctx)).rejects.toMatchObject({ type: 'NOTIFY_NOT_CONFIGURED' });
    expect(mails).toHaveLength(0);
  });

  it('sends each delivery once, with a Message-ID derived from the idempotency key', async () => {
    const { action, mails } = setup(true);
    const plan = await action.plan!({ targets: ['counsel'] }, ctx);
    const effects = await action.apply!(plan, ctx);
    const again = await action.apply!(plan, ctx);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.messageId).toMatch(/^<[0-9a-f]{40}@cordon>$/);
    expect(effects.sent).toEqual(again.sent);
    expect(again.alreadySent).toBe(1);
  });

  it('renders the same packet to the same PDF bytes', async () => {
    const packet = buildPacket(incident, { id: 'counsel', name: 'Counsel' }, 'n');
    const at = new Date(incident.startedAt);
    expect((await renderPdf(packet, at)).equals(await renderPdf(packet, at))).toBe(true);
  });
});
