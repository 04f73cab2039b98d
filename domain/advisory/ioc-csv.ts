import semver from 'semver';

import { readCsv, type CsvRow } from '../text/csv';
import { parseEcosystem } from './ecosystem';
import type { AdvisoryParseResult, AffectedPackage } from './types';

/** One package version an IOC row names. */
interface IocEntry {
  ecosystem: string;
  name: string;
  version: string;
}

/** Reads the rows of one CSV shape; returns the entries of a row, or why the row is wrong. */
type RowReader = (fields: string[]) => IocEntry[] | string;

interface CsvShape {
  columns: string[];
  read: (column: (fields: string[], name: string) => string) => RowReader;
}

// The published Shai-Hulud and axios lists (../shared/data/ioc) are npm-only, so the first three shapes mean npm.
const shapes: CsvShape[] = [
  {
    // wiz-research-iocs: `Package,Version` with npm-range-style exact versions, "= 0.0.7 || = 0.0.8".
    columns: ['package', 'version'],
    read: (column) => (fields) => {
      const name = column(fields, 'package');
      const expression = column(fields, 'version');
      const versions = expression.split('||').map((part) => part.trim().replace(/^==?\s*/, ''));
      const bad = versions.find((v) => semver.valid(v) === null);
      if (bad !== undefined) return `"${expression}" is not a list of exact versions (expected "= 1.2.3 || = 1.2.4")`;
      return versions.map((version) => ({ ecosystem: 'npm', name, version }));
    },
  },
  {
    // DataDog consolidated_iocs.csv: versions comma-joined inside one quoted field.
    columns: ['package_name', 'package_versions'],
    read: (column) => (fields) => {
      const name = column(fields, 'package_name');
      return npmVersions(name, column(fields, 'package_versions').split(','));
    },
  },
  {
    // DataDog shai-hulud-2.0.csv: one version per row.
    columns: ['package_name', 'package_version'],
    read: (column) => (fields) => npmVersions(column(fields, 'package_name'), [column(fields, 'package_version')]),
  },
  {
    // DataDog per-incident iocs.csv: typed indicators; only `<ecosystem> package` rows name packages.
    columns: ['type', 'indicator'],
    read: (column) => (fields) => {
      const type = column(fields, 'type').trim().toLowerCase();
      if (!type.endsWith(' package')) return [];
      const ecosystem = parseEcosystem(type.slice(0, -' package'.length).trim());
      if (!ecosystem) return `unknown package type "${type}" (expected npm, pypi or crates.io package)`;
      const indicator = column(fields, 'indicator').trim();
      const at = indicator.lastIndexOf('@');
      if (at <= 0 || at === indicator.length - 1) return `"${indicator}" is not name@version`;
      return [{ ecosystem, name: indicator.slice(0, at), version: indicator.slice(at + 1) }];
    },
  },
];

function npmVersions(name: string, versions: string[]): IocEntry[] | string {
  const cleaned = versions.map((v) => v.trim()).filter((v) => v !== '');
  if (name.trim() === '') return 'empty package name';
  if (cleaned.length === 0) return `no version for ${name}`;
  const bad = cleaned.find((v) => semver.valid(v) === null);
  if (bad !== undefined) return `"${bad}" is not an npm version`;
  return cleaned.map((version) => ({ ecosystem: 'npm', name: name.trim(), version }));
}

const expectedHeaders =
  'Package,Version | package_name,package_versions | package_name,package_version | type,indicator';

/**
 * Reads an IOC list in one of the published CSV shapes (wiz `Package,Version`, DataDog consolidated, DataDog
 * one-per-row, DataDog typed indicators) into one advisory whose id is `source`. Bad rows are reported once (the first
 * one, with a count) and skipped; the good rows still load.
 */
export function parseIocCsv(source: string, text: string): AdvisoryParseResult {
  const result: AdvisoryParseResult = { advisories: [], problems: [], withdrawn: [] };
  const csv = readCsv(text);
  if (!csv.ok) {
    result.problems.push({ source, message: `${source}:${csv.line}: not CSV: ${csv.message}` });
    return result;
  }
  const [header, ...rows] = csv.rows;
  const names = (header?.fields ?? []).map((f) => f.trim().toLowerCase());
  const shape = shapes.find((s) => s.columns.every((c) => names.includes(c)));
  if (!header || !shape) {
    const found = header ? header.fields.join(',') : 'an empty file';
    result.problems.push({
      source,
      message: `${source}:1: unrecognized IOC CSV header "${found}" (expected one of ${expectedHeaders})`,
    });
    return result;
  }
  const column = (fields: string[], name: string): string => fields[names.indexOf(name)] ?? '';
  const read = shape.read(column);
  const entries: IocEntry[] = [];
  const bad: { row: CsvRow; message: string }[] = [];
  for (const row of rows) {
    if (row.fields.length !== names.length) {
      bad.push({ row, message: `expected ${names.length} fields, found ${row.fields.length}` });
      continue;
    }
    const out = read(row.fields);
    if (typeof out === 'string') bad.push({ row, message: out });
    else entries.push(...out);
  }
  const [first] = bad;
  if (first) {
    const more = bad.length > 1 ? ` (and ${bad.length - 1} more bad row${bad.length > 2 ? 's' : ''})` : '';
    result.problems.push({ source, message: `${source}:${first.row.line}: ${first.message}${more}` });
  }
  if (entries.length === 0) {
    if (!first) result.problems.push({ source, message: `${source}: no package rows` });
    return result;
  }
  result.advisories.push({ id: source, aliases: [], source, affected: groupByPackage(entries) });
  return result;
}

function groupByPackage(entries: IocEntry[]): AffectedPackage[] {
  const byKey = new Map<string, AffectedPackage>();
  for (const { ecosystem, name, version } of entries) {
    const key = `${ecosystem}\u0000${name}`;
    const entry = byKey.get(key) ?? { ecosystem, name, versions: [], ranges: [] };
    if (!entry.versions.includes(version)) entry.versions.push(version);
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}
