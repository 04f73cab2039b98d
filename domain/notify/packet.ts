import type { Trigger } from './schema';

/** The incident facts a packet is built from: a structural subset of the incident workflow's state. */
export interface PacketSource {
  incidentId: string;
  title: string;
  severity: string;
  org: string;
  initiator: string;
  since: string;
  until?: string | null;
  startedAt: string;
  drill: boolean;
  advisoryIds: string[];
  packages: { ecosystem: string; name: string; versions: string[] }[];
  steps: {
    id: string;
    name: string;
    phase: string;
    mutates: boolean;
    status: string;
    startedAt?: string;
    finishedAt?: string;
    plan?: { summary: string; irreversible: boolean };
    output?: unknown;
    note?: string;
    error?: string;
  }[];
  facts?: { fact: Trigger; by: string; at: string; note?: string }[];
  obligations?: {
    id: string;
    who: string;
    deadline: string;
    triggeredAt: string;
    description: string;
    workflowId?: string;
  }[];
}

/** Who a packet is for. */
export interface PacketRecipient {
  id: string;
  name: string;
}

/** A notification packet's content, before rendering. */
export interface Packet {
  recipient: PacketRecipient;
  subject: string;
  sections: { title: string; lines: string[] }[];
}

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
const outputOf = (src: PacketSource, key: string): Record<string, unknown>[] =>
  src.steps.flatMap((s) => list((s.output as Record<string, unknown> | undefined)?.[key]));
const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();

/**
 * How many entries a list section shows. A packet's Markdown travels in the approved plan and so in the workflow
 * history, whose payloads Temporal limits (2 MB); past this the count stands for the rest, which stay in the record.
 */
export const PACKET_LIST_LIMIT = 200;

const capped = (xs: string[]): string[] =>
  xs.length <= PACKET_LIST_LIMIT
    ? xs
    : [
        ...xs.slice(0, PACKET_LIST_LIMIT),
        `… and ${xs.length - PACKET_LIST_LIMIT} more (full list in the incident record and its audit bundle)`,
      ];

/** Builds the packet for one recipient from the incident's facts: nothing in it is typed by hand. */
export function buildPacket(src: PacketSource, recipient: PacketRecipient, notice: string): Packet {
  const exposedRepos = uniq(outputOf(src, 'exposedRepos').map((r) => `${String(r.owner)}/${String(r.name)}`));
  const findings = outputOf(src, 'findings');
  const runs = outputOf(src, 'runs');
  const workflows = uniq(outputOf(src, 'workflows').map((w) => `${String(w.repo)}: ${String(w.path)}`));
  const runners = uniq(outputOf(src, 'runners').map((r) => String(r.name)));
  const secrets = uniq(
    outputOf(src, 'secrets').map(
      (s) =>
        `${String(s.name)} (${String(s.scope)}${s.environment ? ` ${String(s.environment)}` : ''}, ${String(s.repo)})`,
    ),
  );
  const taken = src.steps.filter((s) => s.status === 'succeeded' || s.status === 'compensated');
  // A manual step (its configuration was missing at declaration) is still to be done, by people.
  const pending = src.steps.filter((s) =>
    ['pending', 'running', 'awaiting-approval', 'applying', 'manual'].includes(s.status),
  );
  const timeline = [
    { at: src.startedAt, text: `incident declared by ${src.initiator}` },
    ...src.steps.flatMap((s) => [
      ...(s.startedAt ? [{ at: s.startedAt, text: `${s.id} started` }] : []),
      ...(s.finishedAt ? [{ at: s.finishedAt, text: `${s.id} ${s.status}` }] : []),
    ]),
    ...(src.facts ?? []).map((f) => ({ at: f.at, text: `fact recorded by ${f.by}: ${f.fact}` })),
    ...(src.obligations ?? []).map((o) => ({
      at: o.triggeredAt,
      text: `obligation ${o.id} started (due ${o.deadline})`,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  // The incident state has no end of window; the declare step's output does when one was given.
  const until =
    src.until ??
    src.steps
      .map((s) => (s.output as { until?: unknown } | undefined)?.until)
      .find((u): u is string => typeof u === 'string');
  const facts = new Set((src.facts ?? []).map((f) => f.fact));
  const questions = [
    ...(until ? [] : ['When did the exposure window end? (no end recorded yet)']),
    ...(facts.has('personal-data-exposed')
      ? []
      : ['Could personal data have been exposed? (not yet assessed; record it with `cordon fact`)']),
    ...(pending.length > 0 ? [`${pending.length} response step(s) have not finished: see "Actions pending"`] : []),
    ...src.steps.filter((s) => s.status === 'failed').map((s) => `${s.id} failed: ${s.error ?? 'unknown error'}`),
  ];
  const none = (xs: string[]): string[] => (xs.length > 0 ? xs : ['none known']);
  return {
    recipient,
    subject: `${src.drill ? '[DRILL] ' : ''}Security incident notice ${src.incidentId}: ${src.title}`,
    sections: [
      {
        title: 'Incident',
        lines: [
          `Incident: ${src.incidentId}${src.drill ? ' (drill: no real systems were affected)' : ''}`,
          `Title: ${src.title}`,
          `Severity: ${src.severity}`,
          `Organisation: ${src.org}`,
          `Declared: ${src.startedAt} by ${src.initiator}`,
          `For: ${recipient.name}`,
        ],
      },
      {
        title: 'Advisory',
        lines: [
          `Advisories: ${src.advisoryIds.join(', ') || 'none'}`,
          ...src.packages.map((p) => `Affected: ${p.ecosystem} ${p.name} ${p.versions.join(', ')}`),
          `Exposure window: ${src.since} to ${until ?? 'open (no end recorded yet)'}`,
        ],
      },
      {
        title: 'Exposure',
        lines: [
          `Repositories with an affected install: ${exposedRepos.length}`,
          `Lockfile findings: ${findings.length}`,
          `CI runs inside the window: ${runs.length}`,
          `Self-hosted runners: ${runners.length}`,
          `Secrets readable by those runs: ${secrets.length}`,
        ],
      },
      {
        title: 'Systems affected',
        lines: none(capped([...exposedRepos, ...workflows, ...runners.map((r) => `runner ${r}`)])),
      },
      { title: 'Credentials affected (names only)', lines: none(capped(secrets)) },
      {
        title: 'Actions taken',
        lines: none(
          taken.map((s) => `${s.finishedAt ?? ''} ${s.id}: ${s.plan?.summary ?? s.name} (${s.status})`.trim()),
        ),
      },
      {
        title: 'Actions pending',
        lines: none(
          pending.map(
            (s) =>
              `${s.id}: ${s.plan?.summary ?? s.name} (${s.status === 'manual' ? 'manual: left to people' : s.status})`,
          ),
        ),
      },
      {
        title: 'Notice deadlines',
        lines: none((src.obligations ?? []).map((o) => `${o.id} (${o.who}): due ${o.deadline} — ${o.description}`)),
      },
      { title: 'Timeline (UTC)', lines: timeline.map((t) => `${t.at} ${t.text}`) },
      { title: 'Open questions', lines: none(questions) },
      { title: 'Notice', lines: [notice] },
    ],
  };
}

/** The packet as Markdown: a title, then one section per heading with a bullet per line. */
export function renderMarkdown(p: Packet): string {
  const md = (s: string): string => s.replace(/([\\`*_[\]<>#|])/g, '\\$1');
  const out = [`# ${md(p.subject)}`, ''];
  for (const s of p.sections) {
    out.push(`## ${md(s.title)}`, '');
    for (const l of s.lines) out.push(`- ${md(l)}`);
    out.push('');
  }
  return out.join('\n');
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The packet as a self-contained HTML document (inline style, no scripts, every fact escaped). */
export function renderHtml(p: Packet): string {
  const body = p.sections
    .map(
      (s) =>
        `<h2>${escapeHtml(s.title)}</h2>\n<ul>\n${s.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('\n')}\n</ul>`,
    )
    .join('\n');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8">',
    `<title>${escapeHtml(p.subject)}</title>`,
    '<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}h2{border-bottom:1px solid #ccc}</style>',
    '</head>',
    '<body>',
    `<h1>${escapeHtml(p.subject)}</h1>`,
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
