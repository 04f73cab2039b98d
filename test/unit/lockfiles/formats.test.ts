// The formats table is the one place lockfile knowledge lives: these tests pin down that every consumer of it
// (detection, the org scan's name matcher and SBOM coverage, the pin pull request's choice of pinner) agrees.
import {
  detectLockfileFormat,
  FORMATS,
  formatOfPath,
  lockfileEcosystem,
  PARSERS,
  sbomCovers,
  type CratesRegistry,
  type NpmRegistry,
  type PinRegistries,
  type PyPiRegistry,
} from '../../../lockfiles';
import { pinnersFor } from '../../../activities/github/contain/pin-pull-requests';

/** Registries that are never asked anything: choosing a pinner reads only their URLs. */
const never = (what: string) => () => Promise.reject(new Error(`${what} must not be read`));
const REGISTRIES: PinRegistries = {
  npm: { url: 'https://npm.example', packument: never('npm') } satisfies NpmRegistry,
  pypi: { url: 'https://pypi.example', project: never('pypi'), release: never('pypi') } satisfies PyPiRegistry,
  crates: { url: 'https://crates.example', versions: never('crates') } satisfies CratesRegistry,
};

/** Every file name the table lists, plus requirements files by each of pip's naming habits, at the root and nested. */
const REQUIREMENTS = ['requirements.txt', 'requirements-dev.txt', 'dev-requirements.txt', 'requirements/base.txt'];
const NAMES = [...FORMATS.flatMap((f) => f.names), ...REQUIREMENTS];
const PATHS = NAMES.flatMap((n) => [n, `services/api/${n}`]);

describe('the lockfile formats table', () => {
  it('lists each format once, and each file name under exactly one format', () => {
    const formats = FORMATS.map((f) => f.format);
    expect(new Set(formats).size).toBe(formats.length);
    for (const name of NAMES) {
      const claiming = FORMATS.filter(
        (f) =>
          f.names.includes(name) ||
          f.namePattern?.test(name.slice(name.lastIndexOf('/') + 1)) ||
          (f.folder !== undefined && name.startsWith(`${f.folder}/`)),
      );
      expect([name, claiming.map((f) => f.format)]).toEqual([name, [formatOfPath(name)?.format]]);
    }
  });

  it('gives every format a reader, and the readers are what PARSERS holds', () => {
    for (const f of FORMATS) expect(PARSERS[f.format]).toBe(f.read);
    expect(Object.keys(PARSERS).sort()).toEqual(FORMATS.map((f) => f.format).sort());
  });

  it.each(PATHS)('%s: detection, the org scan and the pinner choice agree', (path) => {
    const spec = formatOfPath(path)!;
    expect(detectLockfileFormat(path)).toBe(spec.format);
    expect(lockfileEcosystem(path)).toBe(spec.ecosystem);
    const pinner = pinnersFor(REGISTRIES)[spec.format];
    if (!spec.pinner) {
      expect(pinner).toBeUndefined();
      return;
    }
    expect(pinner).toMatchObject({
      ecosystem: spec.ecosystem,
      manifest: spec.manifest,
      note: spec.pinner.note,
      registryUrl: REGISTRIES[spec.pinner.registry].url,
    });
  });

  it('pins every format it reads except bun.lock, each from its own ecosystem’s registry', () => {
    expect(FORMATS.filter((f) => !f.pinner).map((f) => f.format)).toEqual(['bun-lock']);
    const registryOf = { npm: 'npm', PyPI: 'pypi', 'crates.io': 'crates' } as const;
    for (const f of FORMATS)
      if (f.pinner) expect([f.format, f.pinner.registry]).toEqual([f.format, registryOf[f.ecosystem]]);
    // A requirements file is its own manifest; every other format has one beside it.
    expect(FORMATS.filter((f) => f.manifest === null).map((f) => f.format)).toEqual(['requirements-txt']);
  });

  it('leaves installed copies to their packages: nothing under node_modules or .git is the project’s lockfile', () => {
    expect(lockfileEcosystem('node_modules/left-pad/package-lock.json')).toBeUndefined();
    expect(lockfileEcosystem('web/node_modules/x/requirements.txt')).toBeUndefined();
    expect(lockfileEcosystem('.git/yarn.lock')).toBeUndefined();
    expect(lockfileEcosystem('notes.txt')).toBeUndefined();
  });

  it('lets the SBOM vouch only for what GitHub’s dependency graph reads: not bun.lock, not uv.lock', () => {
    // https://docs.github.com/code-security/supply-chain-security/understanding-your-software-supply-chain/dependency-graph-supported-package-ecosystems
    expect(PATHS.filter((p) => !sbomCovers(p))).toEqual([
      'bun.lock',
      'services/api/bun.lock',
      'uv.lock',
      'services/api/uv.lock',
    ]);
    expect(sbomCovers('README.md')).toBe(false);
  });
});
