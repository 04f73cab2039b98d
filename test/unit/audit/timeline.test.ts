// The audit timeline tells the truth: each entry at the time of the history event that records it, in the history's
// order, a stand-down before the undos it caused; chart colours fixed per kind of mark; deadlines at their time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFacts } from '../../../audit/history-facts';
import { decodeEvents, historyEvents, type JsonEvent } from '../../../audit/history-json';
import { approvalsLedger } from '../../../audit/ledger';
import {
  TIMELINE_COLOURS,
  timelineEntries,
  timelineHtml,
  timelineSvg,
  type TimelineEntry,
} from '../../../audit/timeline';
import type { IncidentState } from '../../../workflows/definitions';

const FIXTURE = path.resolve(__dirname, '..', '..', 'fixtures', 'histories', 'stood-down-c3a065f.json');

async function stoodDown(
  file = FIXTURE,
): Promise<{ raw: JsonEvent[]; state: IncidentState; entries: TimelineEntry[] }> {
  const raw = historyEvents(JSON.parse(readFileSync(file, 'utf8')));
  const facts = historyFacts((await decodeEvents(raw, undefined)).events);
  const state = facts.finalState!;
  return { raw, state, entries: timelineEntries(state, facts, approvalsLedger(facts, state)) };
}

describe('timelineEntries of a stood-down incident', () => {
  it('puts every entry at the time of the history event that records it, in history order', async () => {
    const { raw, entries } = await stoodDown();
    const timeOf = new Map(raw.map((e) => [Number(e.eventId), e.eventTime]));
    for (const e of entries) expect(e.at).toBe(timeOf.get(e.eventId));
    const ids = entries.map((e) => e.eventId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('shows the success, then the stand-down, then the undo it caused, then the close', async () => {
    const { raw, entries } = await stoodDown();
    const kinds = entries.filter((e) => e.step === 'contain' || !e.step).map((e) => e.kind);
    expect(kinds).toEqual([
      'declared',
      'step-started',
      'approval-requested',
      'vote',
      'approved',
      'apply',
      'apply-completed',
      'step-succeeded',
      'stand-down',
      'undo',
      'undo-completed',
      'step-compensated',
      'closed',
    ]);
    const standDown = entries.find((e) => e.kind === 'stand-down')!;
    expect(standDown.text).toBe('carol: false positive');
    // The stand-down is the accepted Update, at its own event.
    const accepted = raw.find((e) => Number(e.eventId) === standDown.eventId)!;
    expect(accepted.eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
    const compensated = entries.find((e) => e.kind === 'step-compensated')!;
    expect(compensated.text).toContain(`after stand-down at event ${standDown.eventId}`);
    expect(Date.parse(compensated.at)).toBeGreaterThan(Date.parse(standDown.at));
    // The step waiting for approval when the stand-down came was cancelled by it.
    expect(entries.find((e) => e.kind === 'step-cancelled')).toMatchObject({
      step: 'rotate',
      eventId: standDown.eventId,
    });
  });

  it('places steps of a history that sent notices as local activities at the markers recording them', async () => {
    const { raw, entries } = await stoodDown(FIXTURE.replace('c3a065f', '14763ad'));
    const timeOf = new Map(raw.map((e) => [Number(e.eventId), e.eventTime]));
    for (const e of entries) expect(e.at).toBe(timeOf.get(e.eventId));
    const kinds = entries.filter((e) => e.step === 'contain' || !e.step).map((e) => e.kind);
    expect(kinds).toEqual([
      'declared',
      'step-started',
      'vote',
      'apply',
      'apply-completed',
      'step-succeeded',
      'stand-down',
      'undo',
      'undo-completed',
      'closed',
    ]);
  });

  it('writes one table row per entry, in the same order, with its event id', async () => {
    const { state, entries } = await stoodDown();
    const html = timelineHtml(state, entries);
    const rows = [...html.matchAll(/<tr data-event="(\d+)"><td>\d+<\/td><td>[^<]*<\/td><td>[^<]*<\/td><td>([^<]*)</g)];
    expect(rows.map((r) => [Number(r[1]), r[2]])).toEqual(entries.map((e) => [e.eventId, e.kind]));
  });
});

describe('timeline chart', () => {
  const t0 = Date.parse('2026-06-17T04:00:00.000Z');
  const iso = (s: number): string => new Date(t0 + s * 1000).toISOString();
  const state = (phases: [string, string]): IncidentState =>
    ({
      incidentId: 'incident-x',
      title: 'x',
      status: 'completed',
      severity: 'high',
      org: 'acme',
      initiator: 'alice',
      playbook: { name: 'p', version: '1', sha256: 'f'.repeat(64) },
      startedAt: iso(0),
      steps: [
        { id: 'look', phase: phases[0], status: 'succeeded', approvals: [] },
        { id: 'pin', phase: phases[1], status: 'succeeded', approvals: [] },
      ],
    }) as unknown as IncidentState;
  const entries = (deadline: number): TimelineEntry[] => [
    { eventId: 1, at: iso(0), kind: 'declared', text: 'declared' },
    { eventId: 5, at: iso(0), step: 'look', kind: 'step-started', text: '' },
    { eventId: 9, at: iso(1), step: 'look', kind: 'step-succeeded', text: '' },
    { eventId: 12, at: iso(1), step: 'pin', kind: 'step-started', text: '' },
    { eventId: 20, at: iso(2), step: 'pin', kind: 'approval-requested', text: '', deadline: iso(deadline) },
    { eventId: 24, at: iso(3), step: 'pin', kind: 'vote', text: 'bob approve', decision: 'approve' },
    { eventId: 30, at: iso(9), step: 'pin', kind: 'step-succeeded', text: '' },
    { eventId: 40, at: iso(10), kind: 'closed', text: 'incident completed' },
  ];
  // The chart maps [first event, last event] onto x 190..850 (1000 wide, 190 for labels, 150 for notes).
  const xAt = (s: number): number => 190 + (s / 10) * 660;

  it('draws a deadline inside the chart at its time', () => {
    const svg = timelineSvg(state(['identify', 'contain']), entries(5));
    expect(svg).toContain(`<line x1="${xAt(5)}" x2="${xAt(5)}" y1="54" y2="72" class="deadline">`);
    expect(svg).not.toContain('class="deadline-note"');
  });

  it('writes a deadline beyond the chart at the row end instead of drawing it at the edge', () => {
    const svg = timelineSvg(state(['identify', 'contain']), entries(600));
    expect(svg).not.toMatch(/<line [^>]*y1="54"[^>]*class="deadline"/);
    expect(svg).toContain('class="deadline-note">deadline 04:10:00 →');
  });

  it('colours marks by kind from one fixed palette, whatever the phases are called', () => {
    const a = timelineSvg(state(['identify', 'contain']), entries(5));
    const b = timelineSvg(state(['Declare', 'Remove persistence, then revoke']), entries(5));
    // Only the phase names in the labels' tooltips differ; no inline colour depends on them.
    const strip = (s: string): string => s.replace(/<title>phase [^<]*<\/title>/g, '');
    expect(strip(a)).toBe(strip(b));
    expect(a).not.toMatch(/fill="#/);
    const colours = Object.values(TIMELINE_COLOURS);
    expect(new Set(colours).size).toBe(colours.length);
    expect(a).toContain('class="bar-succeeded"');
    expect(a).toContain('class="wait"');
    expect(a).toContain('class="approve"');
    // The page's CSS gives each class its fixed colour.
    const html = timelineHtml(state(['a', 'b']), entries(5));
    expect(html).toContain(`.wait{fill:${TIMELINE_COLOURS.wait}}`);
    expect(html).toContain(`.bar-succeeded{fill:${TIMELINE_COLOURS['bar-succeeded']}}`);
  });
});
