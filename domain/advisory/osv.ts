import { z } from 'zod';

import { parseJsonText } from '../text/json-syntax';
import type { Advisory, AdvisoryParseResult, AffectedPackage, AffectedRange, RangeEvent } from './types';

// The parts of the OSV schema (https://ossf.github.io/osv-schema/) that matching needs; other fields pass through.
const eventSchema = z
  .object({
    introduced: z.string().min(1).optional(),
    fixed: z.string().min(1).optional(),
    last_affected: z.string().min(1).optional(),
    limit: z.string().min(1).optional(),
  })
  .refine((e) => Object.values(e).filter((v) => v !== undefined).length === 1, {
    message: 'an event has exactly one of introduced, fixed, last_affected, limit',
  });

const rangeSchema = z.object({
  type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']),
  events: z.array(eventSchema).min(1),
});

const affectedSchema = z.object({
  // OSV allows an affected entry without a package (e.g. GIT ranges of a repository); it cannot match a lockfile.
  package: z.object({ ecosystem: z.string().min(1), name: z.string().min(1) }).optional(),
  versions: z.array(z.string()).optional(),
  ranges: z.array(rangeSchema).optional(),
});

const recordSchema = z.object({
  id: z.string(),
  aliases: z.array(z.string()).optional(),
  summary: z.string().optional(),
  withdrawn: z.string().optional(),
  affected: z.array(affectedSchema).optional(),
});

type OsvRecord = z.infer<typeof recordSchema>;

/**
 * Reads one OSV JSON file (one record, or an array of records) into advisories. Withdrawn records are skipped and
 * listed; a record that breaks the schema becomes one problem naming the JSON path, e.g.
 * `affected[0].ranges[0].type: expected one of "SEMVER"|"ECOSYSTEM"|"GIT"`.
 * @param source file path, used in messages and as the id of records whose `id` is empty (per-source records).
 */
export function parseOsvJson(source: string, text: string): AdvisoryParseResult {
  const result: AdvisoryParseResult = { advisories: [], problems: [], withdrawn: [] };
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    result.problems.push({ source, message: `${source}:${line}:${column}: not JSON: ${message}` });
    return result;
  }
  const records = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  records.forEach((raw, index) => {
    const prefix = Array.isArray(parsed.value) ? `[${index}]` : '';
    const checked = recordSchema.safeParse(raw, { reportInput: true });
    if (!checked.success) {
      result.problems.push({
        source,
        message: `${source}: not an OSV record: ${describeIssues(checked.error, prefix)}`,
      });
      return;
    }
    const record = checked.data;
    const id = record.id !== '' ? record.id : fallbackId(source);
    if (record.withdrawn !== undefined) {
      result.withdrawn.push(id);
      return;
    }
    result.advisories.push(toAdvisory(id, source, record));
  });
  return result;
}

function toAdvisory(id: string, source: string, record: OsvRecord): Advisory {
  const affected: AffectedPackage[] = [];
  for (const entry of record.affected ?? []) {
    if (!entry.package) continue;
    affected.push({
      ecosystem: entry.package.ecosystem,
      name: entry.package.name,
      versions: entry.versions ?? [],
      ranges: (entry.ranges ?? []).map((r): AffectedRange => ({
        type: r.type,
        events: r.events.map((e) => toEvent(e)),
      })),
    });
  }
  const advisory: Advisory = { id, aliases: record.aliases ?? [], source, affected };
  if (record.summary !== undefined) advisory.summary = record.summary;
  return advisory;
}

function toEvent(e: z.infer<typeof eventSchema>): RangeEvent {
  if (e.introduced !== undefined) return { introduced: e.introduced };
  if (e.fixed !== undefined) return { fixed: e.fixed };
  if (e.last_affected !== undefined) return { last_affected: e.last_affected };
  return { limit: e.limit ?? '' };
}

/** Per-source OSV records (`MAL-0000-<source>-<hash>.json`) have an empty id; the file name identifies them. */
function fallbackId(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? source;
  return base.replace(/\.json$/i, '');
}

function describeIssues(error: z.ZodError, prefix: string): string {
  const [first, ...rest] = error.issues;
  if (!first) return 'invalid';
  const where = formatPath(prefix, first.path);
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  return `${where || '(record)'}: ${issueMessage(first)}${more}`;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return `missing (expected ${issue.expected})`;
    return `expected ${issue.expected}, found ${describeJsonType(issue.input)}`;
  }
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join('|')}`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `expected at least ${issue.minimum} element`;
  if (issue.code === 'too_small' && issue.origin === 'string') return 'expected a non-empty string';
  return issue.message;
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : `${typeof value} ${JSON.stringify(value)}`;
}

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out;
}
