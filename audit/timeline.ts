// The human timeline of an incident: a Markdown list, and a self-contained HTML page (inline CSS and SVG, no external
// assets, so it opens offline from the bundle years later) with a chart of steps, phases, approvals and deadlines.
import type { IncidentState } from '../workflows/definitions';
import type { HistoryFacts } from './history-facts';
import type { LedgerRow } from './ledger';

/** One line of the timeline. */
export interface TimelineEntry {
  at: string;
  step?: string;
  kind: string;
  text: string;
}

/** Timeline entries from the workflow's record, the ledger and the mutating calls in history, in time order. */
export function timelineEntries(state: IncidentState, facts: HistoryFacts, ledger: LedgerRow[]): TimelineEntry[] {
  const out: TimelineEntry[] = [
    {
      at: state.startedAt,
      kind: 'declared',
      text: `${state.incidentId} declared by ${state.initiator}: ${state.title}`,
    },
  ];
  for (const s of state.steps) {
    if (s.startedAt) out.push({ at: s.startedAt, step: s.id, kind: 'step-started', text: `${s.id} (${s.action})` });
    for (const a of s.approvals) {
      out.push({
        at: a.requestedAt,
        step: s.id,
        kind: 'approval-requested',
        text: `round ${a.round}: plan ${a.planHash.slice(0, 12)} to ${a.group} (${a.quorum} of ${a.members.join(', ')}), deadline ${a.deadline}`,
      });
    }
    if (s.finishedAt) out.push({ at: s.finishedAt, step: s.id, kind: `step-${s.status}`, text: `${s.id} ${s.status}` });
  }
  for (const r of ledger) {
    out.push({
      at: r.at,
      step: r.step,
      kind: 'vote',
      text: `${r.approver} ${r.decision} plan ${r.planHash.slice(0, 12)} via ${r.channel}${r.reason ? `: ${r.reason}` : ''}`,
    });
  }
  for (const c of facts.calls.filter((x) => x.mode === 'apply' || x.mode === 'undo')) {
    const batch = c.batch ? ` batch ${c.batch.index + 1}/${c.batch.of}` : '';
    out.push({
      at: c.at,
      step: c.stepId,
      kind: c.mode,
      text: `${c.activity}:${c.mode}${batch} scheduled (event ${c.eventId})`,
    });
  }
  if (state.standDown)
    out.push({ at: state.standDown.at, kind: 'stand-down', text: `${state.standDown.by}: ${state.standDown.reason}` });
  if (state.finishedAt) out.push({ at: state.finishedAt, kind: 'closed', text: `incident ${state.status}` });
  return out.filter((e) => e.at).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The timeline as Markdown. */
export function timelineMarkdown(state: IncidentState, entries: TimelineEntry[]): string {
  const lines = [
    `# ${state.incidentId}`,
    '',
    `${state.title}`,
    '',
    `- status: ${state.status}; severity: ${state.severity}; org: ${state.org}; initiator: ${state.initiator}`,
    `- playbook: ${state.playbook.name} v${state.playbook.version} (sha256 ${state.playbook.sha256})`,
    `- packages: ${state.packages.map((p) => `${p.ecosystem}:${p.name}@${p.versions.join('|')}`).join(', ')}`,
    '',
    '| time (UTC) | step | event | detail |',
    '|---|---|---|---|',
    ...entries.map((e) => `| ${e.at} | ${e.step ?? ''} | ${e.kind} | ${e.text.replace(/\|/g, '\\|')} |`),
    '',
  ];
  return lines.join('\n');
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const PALETTE = ['#4e79a7', '#59a14f', '#9c755f', '#76b7b2', '#b07aa1', '#edc948', '#ff9da7', '#bab0ac'];

/** The chart: one row per step over the incident's time, with approval waits, votes, applies and deadlines. */
export function timelineSvg(state: IncidentState, ledger: LedgerRow[], facts: HistoryFacts): string {
  const t0 = Date.parse(state.startedAt);
  const end = Math.max(
    Date.parse(state.finishedAt ?? state.startedAt),
    ...state.steps.map((s) => Date.parse(s.finishedAt ?? s.startedAt ?? state.startedAt)),
    t0 + 1000,
  );
  const span = end - t0;
  const W = 900;
  const left = 190;
  const rowH = 22;
  const x = (t: number): number =>
    Math.round((left + (Math.min(Math.max(t - t0, 0), span * 1.08) / (span * 1.08)) * (W - left - 10)) * 10) / 10;
  const phases = [...new Set(state.steps.map((s) => s.phase))];
  const color = (phase: string): string => PALETTE[phases.indexOf(phase) % PALETTE.length]!;
  const parts: string[] = [];
  const top = 30;
  state.steps.forEach((s, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="4" y="${y + 15}" class="lbl">${esc(s.id)}</text>`);
    if (!s.startedAt) return;
    const a = Date.parse(s.startedAt);
    const b = Date.parse(s.finishedAt ?? state.finishedAt ?? s.startedAt);
    parts.push(
      `<rect x="${x(a)}" y="${y + 4}" width="${Math.max(x(b) - x(a), 2)}" height="14" fill="${color(s.phase)}"><title>${esc(`${s.id}: ${s.status} (${s.phase})`)}</title></rect>`,
    );
    for (const ap of s.approvals) {
      const r0 = Date.parse(ap.requestedAt);
      const r1 = Date.parse(ap.decidedAt ?? state.finishedAt ?? ap.requestedAt);
      parts.push(
        `<rect x="${x(r0)}" y="${y + 7}" width="${Math.max(x(r1) - x(r0), 2)}" height="8" class="wait"><title>${esc(`awaiting approval, round ${ap.round}`)}</title></rect>`,
      );
      const dl = Date.parse(ap.deadline);
      const beyond = dl - t0 > span * 1.08;
      parts.push(
        `<line x1="${x(dl)}" x2="${x(dl)}" y1="${y + 2}" y2="${y + 20}" class="deadline"><title>${esc(`deadline ${ap.deadline}${beyond ? ' (beyond the chart)' : ''}`)}</title></line>`,
      );
    }
    for (const r of ledger.filter((l) => l.step === s.id)) {
      const cls = r.decision.startsWith('approve') ? 'approve' : 'reject';
      parts.push(
        `<circle cx="${x(Date.parse(r.at))}" cy="${y + 11}" r="4" class="${cls}"><title>${esc(`${r.approver}: ${r.decision} at ${r.at}`)}</title></circle>`,
      );
    }
    for (const c of facts.calls.filter((f) => f.stepId === s.id && f.mode === 'apply')) {
      const cx = x(Date.parse(c.at));
      parts.push(
        `<path d="M${cx},${y + 3} l5,8 l-5,8 z" class="apply"><title>${esc(`apply scheduled at ${c.at}`)}</title></path>`,
      );
    }
  });
  const h = top + state.steps.length * rowH + 40;
  const legend = phases
    .map((p, i) => `<rect x="${left + i * 110}" y="${h - 22}" width="10" height="10" fill="${color(p)}"/>`)
    .concat(phases.map((p, i) => `<text x="${left + i * 110 + 14}" y="${h - 13}" class="lbl">${esc(p)}</text>`))
    .join('');
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const t = t0 + f * span;
      return `<line x1="${x(t)}" x2="${x(t)}" y1="${top - 4}" y2="${h - 30}" class="grid"/><text x="${x(t)}" y="${top - 8}" class="tick">+${Math.round((t - t0) / 1000)}s</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" role="img" aria-label="incident chart">${axis}${parts.join('')}${legend}</svg>`;
}

/** The self-contained HTML page: summary, chart, and the timeline table. */
export function timelineHtml(
  state: IncidentState,
  entries: TimelineEntry[],
  ledger: LedgerRow[],
  facts: HistoryFacts,
): string {
  const rows = entries
    .map(
      (e) =>
        `<tr><td>${esc(e.at)}</td><td>${esc(e.step ?? '')}</td><td>${esc(e.kind)}</td><td>${esc(e.text)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(state.incidentId)} — audit timeline</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
.lbl{font:11px sans-serif}.tick{font:10px sans-serif;text-anchor:middle;fill:#666}.grid{stroke:#eee}
.wait{fill:#f1ce63;opacity:.9}.deadline{stroke:#e15759;stroke-width:2}.approve{fill:#2ca02c;stroke:#fff}
.reject{fill:#d62728;stroke:#fff}.apply{fill:#222}
</style></head><body>
<h1>${esc(state.incidentId)}</h1>
<p>${esc(state.title)}</p>
<p>status <b>${esc(state.status)}</b> · severity ${esc(state.severity)} · org ${esc(state.org)} · initiator ${esc(state.initiator)} · playbook ${esc(state.playbook.name)} v${esc(state.playbook.version)} (sha256 <code>${esc(state.playbook.sha256)}</code>)</p>
<p>Bars: steps, coloured by phase; yellow: waiting for approval; green/red dots: votes; black marks: apply scheduled; red lines: approval deadlines.</p>
${timelineSvg(state, ledger, facts)}
<h2>Timeline</h2>
<table><tr><th>time (UTC)</th><th>step</th><th>event</th><th>detail</th></tr>
${rows}
</table>
</body></html>
`;
}
