import { parseArgs } from 'node:util';

import { loadConfig } from '../../config/config';
import { ErrorCode, UserError } from '../../config/errors';
import { localPinRegistries } from '../../devserver/pin-registries';
import { AdvisoryLookup } from '../../domain/advisory';
import { pinDiff, pinPaths, writePin } from '../../scan';
import { advisoriesFrom } from './advisories';
import type { CliIO, Command } from '../io';

const USAGE =
  'usage: cordon pin [PATH…] --advisory FILE|DIR [--advisory …] [--package ECO:name@version …] [--since TIME] [--write]';

/**
 * `cordon pin`: local remediation of a checkout. Finds what `cordon scan` finds, rewrites each exposed lockfile (and
 * the manifest beside it) with the pinners the pin pull requests use, reading last good versions from
 * `NPM_REGISTRY_URL`, `PYPI_URL` and `CRATES_INDEX_URL`, and prints the unified diff it would make; `--write` writes
 * it. Exit 0: nothing to pin; 1: findings (pinned, pinnable, or to pin by hand: listed on stderr); 2: bad input.
 */
export const pinCommand: Command = async (args: string[], io: CliIO): Promise<number> => {
  try {
    return await runPin(args, io);
  } catch (err) {
    if (err instanceof UserError) {
      io.stderr.write(`cordon pin: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
};

async function runPin(args: string[], io: CliIO): Promise<number> {
  const options = readArgs(args);
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const advisories = (await advisoriesFrom('pin', options, io)).advisories;
  const config = loadConfig(io.env, io.cwd);
  const pin = await pinPaths({
    paths: options.paths.length > 0 ? options.paths : ['.'],
    cwd: io.cwd,
    lookup: new AdvisoryLookup(advisories),
    registries: localPinRegistries(config),
    ...(options.since ? { publishedBefore: options.since } : {}),
  });
  const [missing] = pin.missing;
  if (missing) throw new UserError(missing.message, ErrorCode.ScanPath);

  for (const error of pin.errors) io.stderr.write(`cordon pin: ${error.message}\n`);
  io.stdout.write(pinDiff(pin));
  if (options.write) await writePin(pin);
  for (const c of pin.changes)
    io.stderr.write(`cordon pin: ${c.file}: ${c.package} ${c.from} → ${c.to ?? 'removed (nothing needs it)'}\n`);
  for (const p of pin.problems) io.stderr.write(`cordon pin: ${p}\n`);
  for (const h of pin.byHand)
    io.stderr.write(`cordon pin: ${h.file}: ${h.package}@${h.version}: pin by hand: ${h.reason}\n`);
  if (pin.findings.length > 0) {
    const files = pin.files.length;
    io.stderr.write(
      `cordon pin: ${pin.findings.length} finding(s); ${options.write ? 'wrote' : 'would write'} ${files} file(s)` +
        `${pin.byHand.length > 0 ? `; ${pin.byHand.length} to pin by hand` : ''}` +
        `${!options.write && files > 0 ? ' (--write to apply)' : ''}\n`,
    );
    return 1;
  }
  // Nothing found in what could not be read is not "nothing to do".
  return pin.errors.length > 0 ? 2 : 0;
}

interface PinArgs {
  paths: string[];
  advisoryPaths: string[];
  packageSpecs: string[];
  since?: string;
  write: boolean;
  help: boolean;
}

function readArgs(args: string[]): PinArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        advisory: { type: 'string', multiple: true },
        package: { type: 'string', multiple: true },
        since: { type: 'string' },
        write: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    // parseArgs names the unknown flag or the missing value in its first sentence; the rest is advice about `--`.
    throw new UserError(
      `${(err as Error).message.split(/\.\s|\n/)[0] ?? 'bad arguments'} (${USAGE})`,
      ErrorCode.PinArgs,
    );
  }
  const { values, positionals } = parsed;
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since)))
    throw new UserError(`--since ${values.since}: expected an ISO 8601 time`, ErrorCode.PinArgs);
  return {
    paths: positionals,
    advisoryPaths: values.advisory ?? [],
    packageSpecs: values.package ?? [],
    ...(values.since !== undefined ? { since: new Date(values.since).toISOString() } : {}),
    write: values.write ?? false,
    help: values.help ?? false,
  };
}
