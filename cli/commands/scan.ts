import { parseArgs } from 'node:util';

import { scanPaths } from '../../scan';
import { advisoriesFrom } from './advisories';
import { AdvisoryLookup } from '../../domain/advisory';
import { ErrorCode, UserError } from '../../config/errors';
import type { CliIO, Command } from '../io';
import { progressIndicator } from './scan-progress';
import { formatScanTable } from './scan-table';

const USAGE =
  'usage: cordon scan [PATH…] --advisory FILE|DIR [--advisory …] [--package ECO:name@version …] [--format json|table]';

/**
 * `cordon scan`: finds lockfiles under PATHs (default `.`) and reports installs of package versions named by the
 * advisories (OSV records, IOC CSV lists) or `--package` specs. Exit 0: every input read and nothing found;
 * 1: findings (even if some input could not be read); 2: bad input, or nothing found but some lockfile or advisory
 * could not be read (listed on stderr and in the report's `errors`).
 */
export const scanCommand: Command = async (args: string[], io: CliIO): Promise<number> => {
  try {
    return await runScan(args, io);
  } catch (err) {
    if (err instanceof UserError) {
      // Printed here rather than by the dispatcher, so in-process callers get the exit code too.
      io.stderr.write(`cordon scan: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
};

async function runScan(args: string[], io: CliIO): Promise<number> {
  const { paths, advisoryPaths, packageSpecs, format, help } = readArgs(args);
  if (help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { advisories, problems } = await advisoriesFrom('scan', { advisoryPaths, packageSpecs }, io);

  const progress = progressIndicator(io);
  const result = await scanPaths({
    paths: paths.length > 0 ? paths : ['.'],
    cwd: io.cwd,
    lookup: new AdvisoryLookup(advisories),
    onProgress: progress.update,
  });
  progress.finish();
  const [missing] = result.missing;
  if (missing) throw new UserError(missing.message, ErrorCode.ScanPath);

  const report = {
    findings: result.findings,
    scanned: result.scanned,
    errors: [...problems.map((p) => ({ file: p.source, message: p.message })), ...result.errors],
  };
  for (const error of result.errors) io.stderr.write(`cordon scan: ${error.message}\n`);
  io.stdout.write(format === 'json' ? `${JSON.stringify(report)}\n` : formatScanTable(report));
  if (report.findings.length > 0) return 1;
  // Nothing found in what could not be read is not "clean": a CI gate must not pass it.
  return report.errors.length > 0 ? 2 : 0;
}

interface ScanArgs {
  paths: string[];
  advisoryPaths: string[];
  packageSpecs: string[];
  format: 'json' | 'table';
  help: boolean;
}

function readArgs(args: string[]): ScanArgs {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        advisory: { type: 'string', multiple: true },
        package: { type: 'string', multiple: true },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    // parseArgs names the unknown flag or the missing value in its first sentence; the rest is advice about `--`.
    throw new UserError(
      `${(err as Error).message.split(/\.\s|\n/)[0] ?? 'bad arguments'} (${USAGE})`,
      ErrorCode.ScanArgs,
    );
  }
  const format = values.format ?? 'table';
  if (format !== 'json' && format !== 'table') {
    throw new UserError(`--format must be json or table, not "${format}"`, ErrorCode.ScanArgs);
  }
  return {
    paths: positionals,
    advisoryPaths: values.advisory ?? [],
    packageSpecs: values.package ?? [],
    format,
    help: values.help ?? false,
  };
}
