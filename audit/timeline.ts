// The human timeline of an incident: a Markdown list, and a self-contained HTML page (inline CSS and SVG, no external
// assets, so it opens offline from the bundle years later) with a chart of steps, approvals and deadlines.
// Every entry is a fact of the history, at the time of the history event that records it and in the history's order:
// the workflow's final record only says how a step ended, not when (a step compensated after a stand-down kept the
// time it succeeded at), so it is never the source of a time here.
import type { IncidentState } from '../workflows/definitions';
import type { HistoryCall, HistoryFacts } from './history-facts';
import type { LedgerRow } from './ledger';

/** One line of the timeline: what one history event records. */
export interface TimelineEntry {
  /** The history event that records it; entries are in this order, the history's. */
  eventId: number;
  /** That event's time, as the history records it. */
  at: string;
  step?: string;
  kind: string;
  text: string;
  /** An approval request's deadline. */
  deadline?: string;
  /** A vote's decision. */
  decision?: string;
}

/** Timeline notices named for what they say about the step. */
const NOTICE_KINDS: Record<string, string> = {
  'step-finished': 'step-succeeded',
  compensated: 'step-compensated',
  'compensation-failed': 'step-compensation-failed',
};

/** Decisions other than votes, by Update name. */
const DECISION_KINDS: Record<string, string> = {
  standDown: 'stand-down',
  retryStep: 'retry-requested',
  skipStep: 'skip-requested',
  recordFact: 'fact-recorded',
};

/** What halts an incident and so causes its undos and cancellations. */
const HALT_KINDS = new Set(['stand-down', 'rejected', 'step-failed']);

/** How a step's bar ends on the chart. */
const END_KINDS = new Set([
  'step-succeeded',
  'step-failed',
  'step-skipped',
  'step-manual',
  'rejected',
  'step-cancelled',
]);

const callText = (c: HistoryCall): string =>
  `${c.activity}:${c.mode}${c.batch ? ` batch ${c.batch.index + 1}/${c.batch.of}` : ''}`;

/**
 * Timeline entries read from the history: the declaration (execution started), every notice the workflow sent (step
 * started, succeeded, approved, compensated…), approval requests with their deadlines, votes and other decisions
 * (Update accepted), applies and undos (scheduled, and how they ended), steps cancelled by a halt, and the close.
 * Ordered as the history is; `state` only names rounds and which steps a halt cancelled.
 */
export function timelineEntries(state: IncidentState, facts: HistoryFacts, ledger: LedgerRow[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const input = facts.input;
  if (facts.startedAt !== undefined)
    out.push({
      eventId: 1,
      at: facts.startedAt,
      kind: 'declared',
      text: `${input?.incidentId ?? state.incidentId} declared by ${input?.initiator ?? state.initiator}: ${input?.title ?? state.title}`,
    });
  for (const { eventId, at, notice } of facts.notices) {
    // The declaration and the close are recorded by the execution's own start and close events.
    if (notice.kind === 'declared' && facts.startedAt !== undefined) continue;
    if (notice.kind === 'closed' && facts.closeEvent) continue;
    out.push({
      eventId,
      at,
      ...(notice.stepId ? { step: notice.stepId } : {}),
      kind: NOTICE_KINDS[notice.kind] ?? notice.kind,
      text: notice.text,
    });
  }
  out.push(...fromLocalNotices(state, facts));
  for (const { eventId, at, notice: n } of facts.approvalRequests) {
    const round = state.steps.find((s) => s.id === n.stepId)?.approvals.find((a) => a.planHash === n.planHash)?.round;
    out.push({
      eventId,
      at,
      step: n.stepId,
      kind: n.escalated ? 'approval-escalated' : 'approval-requested',
      text: `${round ? `round ${round}: ` : ''}plan ${n.planHash.slice(0, 12)} to ${n.group} (${n.quorum} of ${n.members.join(', ')}), deadline ${n.deadline}`,
      deadline: n.deadline,
    });
  }
  for (const r of ledger) {
    // A playbook default on expiry has no Update: its 'expired' notice records it.
    if (r.eventId === undefined) continue;
    out.push({
      eventId: r.eventId,
      at: r.at,
      step: r.step,
      kind: 'vote',
      text: `${r.approver} ${r.decision} plan ${r.planHash.slice(0, 12)} via ${r.channel}${r.reason ? `: ${r.reason}` : ''}`,
      decision: r.decision,
    });
  }
  for (const d of facts.decisions) {
    const args = (d.args ?? {}) as { by?: string; reason?: string; stepId?: string; note?: string };
    const text =
      d.name === 'standDown'
        ? `${args.by ?? '?'}: ${args.reason ?? ''}`
        : `${args.by ?? '?'}${args.reason ? `: ${args.reason}` : ''}${args.note ? `: ${args.note}` : ''}`;
    out.push({
      eventId: d.eventId,
      at: d.at,
      ...(args.stepId ? { step: args.stepId } : {}),
      kind: DECISION_KINDS[d.name] ?? d.name,
      text: d.failed ? `${text} (failed)` : text,
    });
  }
  for (const c of facts.calls.filter((x) => x.mode === 'apply' || x.mode === 'undo')) {
    out.push({ eventId: c.eventId, at: c.at, step: c.stepId, kind: c.mode, text: `${callText(c)} scheduled` });
    if (c.ended)
      out.push({
        eventId: c.ended.eventId,
        at: c.ended.at,
        step: c.stepId,
        kind: `${c.mode}-${c.ended.outcome}`,
        text: `${callText(c)} ${c.ended.outcome} (scheduled at event ${c.eventId})`,
      });
  }
  if (facts.closeEvent)
    out.push({
      eventId: facts.closeEvent.eventId,
      at: facts.closeEvent.at,
      kind: 'closed',
      text:
        facts.closeEvent.type === 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED'
          ? `incident ${state.status}`
          : `execution ${facts.closeEvent.type.replace('EVENT_TYPE_WORKFLOW_EXECUTION_', '').toLowerCase()}`,
    });
  // Stable: entries sharing an event (a halt and the steps it cancelled) keep the order they were added in.
  const sorted = out.filter((e) => e.at).sort((a, b) => a.eventId - b.eventId);
  return withCauses(state, sorted);
}

/**
 * Histories that sent notices as local activities keep only a marker per notice. A step's start and finish are then
 * placed at the first such marker recorded at or after the time the workflow noted (the marker is written when the
 * workflow task that sent the notice completes), so they still sit where the history records them.
 */
function fromLocalNotices(state: IncidentState, facts: HistoryFacts): TimelineEntry[] {
  const markers = facts.timelineMarkers ?? [];
  if (facts.notices.length > 0 || markers.length === 0) return [];
  const markerAt = (iso: string | undefined): { eventId: number; at: string } | undefined => {
    const t = Date.parse(iso ?? '');
    return Number.isNaN(t) ? undefined : markers.find((m) => Date.parse(m.at) >= t);
  };
  const out: TimelineEntry[] = [];
  for (const s of state.steps) {
    const started = markerAt(s.startedAt);
    if (started) out.push({ ...started, step: s.id, kind: 'step-started', text: `${s.id} started (${s.action})` });
    const finished = markerAt(s.finishedAt);
    if (!finished) continue;
    // A compensated step had succeeded when it finished: its undo came later, with its own entries.
    const kind = ['succeeded', 'compensated', 'compensation-failed'].includes(s.status)
      ? 'step-succeeded'
      : s.status === 'failed'
        ? 'step-failed'
        : s.status === 'cancelled'
          ? ''
          : `step-${s.status}`;
    if (kind) out.push({ ...finished, step: s.id, kind, text: `${s.id} ${kind.replace('step-', '')}` });
  }
  return out;
}

/** Names what caused each undo and compensation, and adds the steps a halt cancelled at the halt's own event. */
function withCauses(state: IncidentState, entries: TimelineEntry[]): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  let halt: TimelineEntry | undefined;
  const firstHalt = entries.find((e) => e.kind === 'stand-down') ?? entries.find((e) => HALT_KINDS.has(e.kind));
  const announced = new Set(entries.filter((e) => e.step && END_KINDS.has(e.kind)).map((e) => e.step));
  for (const e of entries) {
    const undoing = e.kind.startsWith('undo') || e.kind.startsWith('step-compensat');
    out.push(undoing && halt ? { ...e, text: `${e.text} — after ${halt.kind} at event ${halt.eventId}` } : e);
    if (HALT_KINDS.has(e.kind)) halt = e;
    if (e !== firstHalt) continue;
    // Cancelled steps send no notice of their own: the halt that stopped them is their record.
    for (const s of state.steps)
      if (s.status === 'cancelled' && !announced.has(s.id))
        out.push({
          eventId: e.eventId,
          at: e.at,
          step: s.id,
          kind: 'step-cancelled',
          text: `${s.id} cancelled${s.note ? `: ${s.note}` : ''}`,
        });
  }
  return out;
}

/** The timeline as Markdown. */
export function timelineMarkdown(state: IncidentState, entries: TimelineEntry[]): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    `# ${state.incidentId}`,
    '',
    `${state.title}`,
    '',
    `- status: ${state.status}; severity: ${state.severity}; org: ${state.org}; initiator: ${state.initiator}`,
    `- playbook: ${state.playbook.name} v${state.playbook.version} (sha256 ${state.playbook.sha256})`,
    `- packages: ${state.packages.map((p) => `${p.ecosystem}:${p.name}@${p.versions.join('|')}`).join(', ')}`,
    '',
    '| event | time (UTC) | step | kind | detail |',
    '|---|---|---|---|---|',
    ...entries.map((e) => `| ${e.eventId} | ${e.at} | ${cell(e.step ?? '')} | ${e.kind} | ${cell(e.text)} |`),
    '',
  ];
  return lines.join('\n');
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The chart's colours: one per kind of mark, fixed, whatever the playbook's phases are called, and all distinct, so
 * the legend means the same in every bundle.
 */
export const TIMELINE_COLOURS = {
  'bar-succeeded': '#4e79a7',
  'bar-failed': '#8c2d04',
  'bar-other': '#bab0ac',
  wait: '#f1ce63',
  approve: '#2ca02c',
  reject: '#d62728',
  apply: '#222222',
  undo: '#9467bd',
  'stand-down': '#ff7f0e',
  deadline: '#e377c2',
} as const;

type Mark = keyof typeof TIMELINE_COLOURS;

const LEGEND: [Mark, string][] = [
  ['bar-succeeded', 'step succeeded'],
  ['bar-failed', 'step failed or rejected'],
  ['bar-other', 'step running, cancelled or skipped'],
  ['wait', 'waiting for approval'],
  ['approve', 'approve vote'],
  ['reject', 'reject vote'],
  ['apply', 'apply scheduled'],
  ['undo', 'undo scheduled'],
  ['stand-down', 'stand-down'],
  ['deadline', 'approval deadline'],
];

const barClass = (end: TimelineEntry | undefined): Mark =>
  end?.kind === 'step-succeeded'
    ? 'bar-succeeded'
    : end?.kind === 'step-failed' || end?.kind === 'rejected'
      ? 'bar-failed'
      : 'bar-other';

/** The CSS of the chart's marks, from TIMELINE_COLOURS. */
function chartCss(): string {
  const c = TIMELINE_COLOURS;
  return [
    ...(['bar-succeeded', 'bar-failed', 'bar-other', 'wait', 'approve', 'reject', 'apply', 'undo'] as const).map(
      (k) => `.${k}{fill:${c[k]}}`,
    ),
    `.wait{opacity:.95}.approve,.reject{stroke:#fff}`,
    `.stand-down{stroke:${c['stand-down']};stroke-width:2}.stand-down-lbl{fill:${c['stand-down']};font:10px sans-serif}`,
    `.deadline{stroke:${c.deadline};stroke-width:2;stroke-dasharray:3 2}.deadline-note{fill:${c.deadline};font:10px sans-serif}`,
  ].join('\n');
}

/**
 * The chart: one row per step over the incident's time, each mark at the time of the history event that records it.
 * A deadline inside the chart's time is drawn there; one beyond it is written at the row's end, never drawn at the
 * edge as if it fell there.
 */
export function timelineSvg(state: IncidentState, entries: TimelineEntry[]): string {
  const times = entries.map((e) => Date.parse(e.at)).filter((t) => !Number.isNaN(t));
  const t0 = times.length > 0 ? Math.min(...times) : Date.parse(state.startedAt);
  const end = Math.max(t0 + 1000, ...times);
  const W = 1000;
  const left = 190;
  const right = 150; // room for off-chart deadline notes
  const rowH = 22;
  const top = 30;
  const x = (t: number): number => Math.round((left + ((t - t0) / (end - t0)) * (W - left - right)) * 10) / 10;
  const at = (e: TimelineEntry): number => x(Date.parse(e.at));
  const parts: string[] = [];
  const rowsEnd = top + state.steps.length * rowH;
  state.steps.forEach((s, i) => {
    const y = top + i * rowH;
    const mine = entries.filter((e) => e.step === s.id);
    parts.push(`<text x="4" y="${y + 15}" class="lbl">${esc(s.id)}<title>${esc(`phase ${s.phase}`)}</title></text>`);
    const start = mine.find((e) => e.kind === 'step-started');
    if (start) {
      const stop = mine.filter((e) => e.eventId > start.eventId && END_KINDS.has(e.kind)).at(-1);
      const x1 = stop ? at(stop) : x(end);
      parts.push(
        `<rect x="${at(start)}" y="${y + 4}" width="${Math.max(x1 - at(start), 2)}" height="14" class="${barClass(stop)}"><title>${esc(`${s.id}: ${stop?.kind ?? s.status}`)}</title></rect>`,
      );
    }
    const offChart: string[] = [];
    for (const req of mine.filter((e) => e.kind === 'approval-requested' || e.kind === 'approval-escalated')) {
      const decided = entries.find(
        (e) =>
          e.eventId > req.eventId &&
          ((e.step === s.id &&
            ['approved', 'rejected', 'expired', 'plan-changed', 'step-cancelled', 'approval-escalated'].includes(
              e.kind,
            )) ||
            e.kind === 'stand-down' ||
            e.kind === 'closed'),
      );
      const x1 = decided ? at(decided) : x(end);
      parts.push(
        `<rect x="${at(req)}" y="${y + 7}" width="${Math.max(x1 - at(req), 2)}" height="8" class="wait"><title>${esc(`awaiting approval from ${req.at}`)}</title></rect>`,
      );
      const dl = Date.parse(req.deadline ?? '');
      if (Number.isNaN(dl)) continue;
      if (dl >= t0 && dl <= end)
        parts.push(
          `<line x1="${x(dl)}" x2="${x(dl)}" y1="${y + 2}" y2="${y + 20}" class="deadline"><title>${esc(`deadline ${req.deadline}`)}</title></line>`,
        );
      else offChart.push(req.deadline!);
    }
    if (offChart.length > 0)
      parts.push(
        `<text x="${W - right + 8}" y="${y + 15}" class="deadline-note">${esc(`deadline ${offChart.map((d) => d.slice(11, 19)).join(', ')} →`)}<title>${esc(`off the chart: ${offChart.join(', ')}`)}</title></text>`,
      );
    for (const v of mine.filter((e) => e.kind === 'vote')) {
      const cls = v.decision?.startsWith('approve') ? 'approve' : 'reject';
      parts.push(
        `<circle cx="${at(v)}" cy="${y + 11}" r="4" class="${cls}"><title>${esc(`${v.text} at ${v.at}`)}</title></circle>`,
      );
    }
    for (const c of mine.filter((e) => e.kind === 'apply'))
      parts.push(
        `<path d="M${at(c)},${y + 3} l5,8 l-5,8 z" class="apply"><title>${esc(`${c.text} at ${c.at}`)}</title></path>`,
      );
    for (const c of mine.filter((e) => e.kind === 'undo'))
      parts.push(
        `<path d="M${at(c)},${y + 3} l-5,8 l5,8 z" class="undo"><title>${esc(`${c.text} at ${c.at}`)}</title></path>`,
      );
  });
  for (const sd of entries.filter((e) => e.kind === 'stand-down'))
    parts.push(
      `<line x1="${at(sd)}" x2="${at(sd)}" y1="${top - 4}" y2="${rowsEnd}" class="stand-down"><title>${esc(`stand-down at ${sd.at}: ${sd.text}`)}</title></line>`,
      `<text x="${at(sd) + 3}" y="${rowsEnd + 10}" class="stand-down-lbl">stand-down</text>`,
    );
  const legendTop = rowsEnd + 22;
  const legend = LEGEND.map(([mark, label], i) => {
    const lx = left + (i % 4) * 200;
    const ly = legendTop + Math.floor(i / 4) * 18;
    const swatch =
      mark === 'stand-down' || mark === 'deadline'
        ? `<line x1="${lx + 5}" x2="${lx + 5}" y1="${ly}" y2="${ly + 12}" class="${mark}"/>`
        : `<rect x="${lx}" y="${ly + 1}" width="10" height="10" class="${mark}"/>`;
    return `${swatch}<text x="${lx + 14}" y="${ly + 10}" class="lbl">${label}</text>`;
  }).join('');
  const h = legendTop + Math.ceil(LEGEND.length / 4) * 18 + 6;
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const t = t0 + f * (end - t0);
      return `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 4}" y2="${rowsEnd}" class="grid"/><text x="${x(t)}" y="${top - 8}" class="tick">+${((t - t0) / 1000).toFixed(end - t0 < 10_000 ? 1 : 0)}s</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" role="img" aria-label="incident chart">${axis}${parts.join('')}<g class="legend">${legend}</g></svg>`;
}

/** The self-contained HTML page: summary, chart, and the timeline table (one row per entry, its event id on it). */
export function timelineHtml(state: IncidentState, entries: TimelineEntry[]): string {
  const rows = entries
    .map(
      (e) =>
        `<tr data-event="${e.eventId}"><td>${e.eventId}</td><td>${esc(e.at)}</td><td>${esc(e.step ?? '')}</td><td>${esc(e.kind)}</td><td>${esc(e.text)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(state.incidentId)} — audit timeline</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}td:nth-child(2){white-space:nowrap}
.lbl{font:11px sans-serif}.tick{font:10px sans-serif;text-anchor:middle;fill:#666}.grid{stroke:#eee}
${chartCss()}
</style></head><body>
<h1>${esc(state.incidentId)}</h1>
<p>${esc(state.title)}</p>
<p>status <b>${esc(state.status)}</b> · severity ${esc(state.severity)} · org ${esc(state.org)} · initiator ${esc(state.initiator)} · playbook ${esc(state.playbook.name)} v${esc(state.playbook.version)} (sha256 <code>${esc(state.playbook.sha256)}</code>)</p>
<p>Every mark and row is at the time of the history event that records it; rows are in history order.</p>
${timelineSvg(state, entries)}
<h2>Timeline</h2>
<table id="timeline"><tr><th>event</th><th>time (UTC)</th><th>step</th><th>kind</th><th>detail</th></tr>
${rows}
</table>
</body></html>
`;
}
