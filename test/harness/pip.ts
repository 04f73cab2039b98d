// Reads a pinned requirements file the way pip does: the check that a pin left a file pip still installs from.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toolDir } from '../../devserver/tools';
import type { PackageManagerRun } from './package-managers';
import { runTool } from './run';

/**
 * The Python that runs pip: `$CORDON_PYTHON`, else the cached venv `npm test` provisions for moto (a venv always has
 * pip, which a distribution's python3 may lack), else `python3`.
 */
export const PYTHON =
  process.env.CORDON_PYTHON ??
  (existsSync(path.join(toolDir('moto'), 'bin', 'python')) ? path.join(toolDir('moto'), 'bin', 'python') : 'python3');

/**
 * `pip download -r requirements.txt` from a sandbox index (`{index}/simple/`), with no cache and no user
 * configuration: pip resolves every requirement and its dependencies, downloads the wheels and, when the file has
 * `--hash` options, refuses any file whose digest is not listed and any dependency the file does not pin. It runs
 * asynchronously because the sandbox index usually serves from the test's own process.
 */
export function pipDownload(requirementsText: string, index: string): Promise<PackageManagerRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-pin-pip-'));
  writeFileSync(path.join(dir, 'requirements.txt'), requirementsText);
  return runTool(
    PYTHON,
    [
      '-m',
      'pip',
      'download',
      '--no-cache-dir',
      '--isolated',
      '--disable-pip-version-check',
      '--no-input',
      '--index-url',
      `${index}/simple/`,
      '--dest',
      path.join(dir, 'downloads'),
      '-r',
      path.join(dir, 'requirements.txt'),
    ],
    { cwd: dir },
  );
}
