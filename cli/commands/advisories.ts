import { ErrorCode, UserError } from '../../config/errors';
import { parsePackageSpec, type Advisory } from '../../domain/advisory';
import { loadAdvisories, type LoadedAdvisories } from '../../scan';
import type { CliIO } from '../io';

/**
 * The advisories `cordon scan` and `cordon pin` match against: `--package` specs and `--advisory` files or folders.
 * A malformed spec, an unreadable path, or nothing to match at all is a user error; a malformed record is reported on
 * stderr as `cordon <command>: …` and the rest load.
 */
export async function advisoriesFrom(
  command: 'scan' | 'pin',
  given: { advisoryPaths: string[]; packageSpecs: string[] },
  io: CliIO,
): Promise<{ advisories: Advisory[]; problems: LoadedAdvisories['problems'] }> {
  if (given.advisoryPaths.length === 0 && given.packageSpecs.length === 0)
    throw new UserError(
      'no advisory given: pass --advisory FILE|DIR or --package ECO:name@version',
      ErrorCode.ScanNoAdvisory,
    );
  const advisories: Advisory[] = [];
  for (const spec of given.packageSpecs) {
    const parsed = parsePackageSpec(spec);
    if (!parsed.ok) throw new UserError(parsed.message, ErrorCode.ScanPackageSpec);
    advisories.push(parsed.advisory);
  }
  const loaded = await loadAdvisories(given.advisoryPaths, io.cwd);
  const [unreadable] = loaded.unreadable;
  if (unreadable) throw new UserError(unreadable.message, ErrorCode.ScanAdvisoryPath);
  for (const problem of loaded.problems) io.stderr.write(`cordon ${command}: ${problem.message}\n`);
  advisories.push(...loaded.advisories);
  if (advisories.length === 0)
    throw new UserError(
      `no advisory could be loaded (see the errors above); nothing to ${command === 'scan' ? 'scan for' : 'pin'}`,
      ErrorCode.ScanNoAdvisory,
    );
  return { advisories, problems: loaded.problems };
}
