import type { ScanReport } from '../../scan';

/** The human form of a scan report: one row per finding, then a summary line. */
export function formatScanTable(report: ScanReport): string {
  const header = ['FILE', 'ECOSYSTEM', 'PACKAGE', 'VERSION', 'ADVISORY', 'KIND'];
  const rows = report.findings.map((f) => [
    f.line === undefined ? f.file : `${f.file}:${f.line}`,
    f.ecosystem,
    f.package,
    f.kind === 'could-resolve' && f.affectedVersion ? `${f.version} (admits ${f.affectedVersion})` : f.version,
    f.advisory,
    f.kind === 'could-resolve'
      ? 'could resolve'
      : f.direct === true
        ? 'direct'
        : f.direct === false
          ? 'transitive'
          : 'installed',
  ]);
  const { files, packages } = report.scanned;
  const counts = `scanned ${files} lockfile${files === 1 ? '' : 's'}, ${packages} package${packages === 1 ? '' : 's'}`;
  const errors =
    report.errors.length > 0 ? `; ${report.errors.length} error${report.errors.length === 1 ? '' : 's'}` : '';
  // With errors, "no exposure found" would read as clean: say what could not be checked instead.
  if (rows.length === 0)
    return errors
      ? `no exposure found in what could be read, but ${report.errors.length} input${report.errors.length === 1 ? '' : 's'} could not be (${counts})\n`
      : `no exposure found (${counts})\n`;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const n = rows.length;
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${n} finding${n === 1 ? '' : 's'} (${counts}${errors})\n`;
}
