// What the Python pin tests share: the real num2words compromise as an incident, and the hashes the sandbox publishes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AdvisoryLookup, parseOsvJson, type AffectedPackage } from '../../../../domain/advisory';
import { wheelSha256 } from '../../../../sandbox/pypi';

const OSV = path.resolve(__dirname, '../../../../../shared/data/osv/pypi/num2words/MAL-2025-6794.json');
const num2words = parseOsvJson('MAL-2025-6794.json', readFileSync(OSV, 'utf8')).advisories;

/** The num2words compromise's window: its bad releases were uploaded on 2025-07-28. */
export const WINDOW = '2025-07-28T00:00:00Z';

/** Whether an incident declared on num2words (MAL-2025-6794) plus `extra` affects a PyPI version. */
export function affectedBy(extra: AffectedPackage[] = []) {
  const lookup = new AdvisoryLookup([
    ...num2words,
    { id: 'incident', aliases: [], source: 'incident', affected: extra },
  ]);
  return (name: string, version: string) => lookup.affecting('PyPI', name, version).length > 0;
}

/** `sha256:<hex>` of a sandbox release's wheel: what a `--hash` option or a poetry.lock file entry holds. */
export const wheelHash = (name: string, version: string, requiresDist?: string[]) =>
  `sha256:${wheelSha256({ name, version, ...(requiresDist ? { requiresDist } : {}) })}`;
