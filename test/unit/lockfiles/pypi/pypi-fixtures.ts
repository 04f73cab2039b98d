// What the Python pin tests share: the real num2words compromise as an incident, and the hashes the sandbox publishes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AdvisoryLookup, parseOsvJson, type AffectedPackage } from '../../../../domain/advisory';
import { projectsWithout, wheelSha256, type SandboxProject } from '../../../../sandbox/pypi';

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

/** A compromised library whose bad release adds a dropper; its good release needs what the lock lacks. */
export const FASTJSONX_GOOD = [
  'six>=1.10',
  'idna>=3.0',
  'colorama; sys_platform == "win32"',
  'ujson (>=5) ; extra == "speed"',
];
/** The index of that compromise: six, idna (3.8 inside the window), colorama and ujson beside it, and attrs. */
export const FASTJSONX: SandboxProject[] = [
  {
    name: 'fastjsonx',
    releases: [
      { version: '2.1.0', uploaded: '2026-05-01T00:00:00Z', requiresDist: FASTJSONX_GOOD, requiresPython: '>=3.8' },
      { version: '2.1.1', uploaded: '2026-06-17T05:00:00Z', requiresDist: ['six>=1.10', 'py-exfil==0.1.0'] },
    ],
  },
  { name: 'six', releases: [{ version: '1.16.0', uploaded: '2021-05-05T14:18:18Z' }] },
  { name: 'py-exfil', releases: [{ version: '0.1.0', uploaded: '2026-06-17T04:30:00Z' }] },
  { name: 'colorama', releases: [{ version: '0.4.6', uploaded: '2022-10-25T02:36:22Z' }] },
  { name: 'ujson', releases: [{ version: '5.10.0', uploaded: '2024-05-14T02:00:00Z' }] },
  {
    name: 'idna',
    releases: [
      { version: '3.7', uploaded: '2024-04-11T03:34:24Z' },
      { version: '3.8', uploaded: '2026-06-17T06:00:00Z' },
    ],
  },
  { name: 'attrs', releases: [{ version: '23.2.0', uploaded: '2023-12-31T06:30:30Z' }] },
];

/** The seeded index the day num2words 0.5.15 was out and 0.5.16 not yet: a fresh lock takes the bad 0.5.15. */
export const BEFORE_016: SandboxProject[] = projectsWithout('num2words', '0.5.16');

/** The `[tool.poetry]` table that makes a pyproject.toml a Poetry project without a package of its own. */
export const POETRY_TAIL = ['[tool.poetry]', 'package-mode = false', ''];

/** A pyproject.toml's `[project]` table with these dependencies, and whatever tool table follows. */
export const pyproject = (dependencies: string[], tail: string[] = []) =>
  [
    '[project]',
    'name = "billing"',
    'version = "0.1.0"',
    'requires-python = ">=3.9"',
    `dependencies = [${dependencies.map((d) => JSON.stringify(d)).join(', ')}]`,
    '',
    ...tail,
  ].join('\n');

/** One `[[package]]` entry of a TOML lock, by name, as text (`[metadata]` ends poetry.lock's last entry). */
export const tomlEntry = (lock: string, name: string) =>
  lock.split(/\n(?=\[\[package\]\]|\[metadata\])/).find((b) => b.startsWith(`[[package]]\nname = "${name}"\n`));
