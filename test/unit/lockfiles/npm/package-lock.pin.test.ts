import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lastGoodVersion, pinNpmLockfile } from '../../../../lockfiles/npm/package-lock.pin';
import { pinPnpmLockfile } from '../../../../lockfiles/npm/pnpm-lock.pin';
import { parse as parseYaml } from 'yaml';
import { exposedLockfile, readByPackageManager } from '../../../harness/package-managers';
import { findingsFor } from '../../../../lockfiles/findings';
import { PARSERS } from '../../../../lockfiles';
import type { NpmRegistry, Packument } from '../../../../activities/registries/npm';
import { AdvisoryLookup, parseOsvJson } from '../../../../domain/advisory';
import { seededPackuments } from '../../../../sandbox/npm-registry';

const REGISTRY = 'http://registry.test';
const ROOT = path.resolve(__dirname, '../../../..');
const lookup = new AdvisoryLookup(
  ['MAL-2026-6011.json', 'MAL-2026-5979.json'].flatMap(
    (f) => parseOsvJson(f, readFileSync(path.join(ROOT, 'sandbox/advisories', f), 'utf8')).advisories,
  ),
);
const affected = (name: string, version: string) => lookup.affecting('npm', name, version).length > 0;

function registryOf(docs: Map<string, Packument>): NpmRegistry & { asked: string[] } {
  const asked: string[] = [];
  return {
    url: REGISTRY,
    asked,
    async packument(name) {
      asked.push(name);
      const doc = docs.get(name);
      if (!doc) throw new Error(`no ${name}`);
      return doc;
    },
  };
}

/** `npm ls` over a lockfile and manifest, without node_modules: how npm itself reads the pinned tree. */
function npmLs(lockText: string, manifestText: string): { status: number | null; tree: { problems?: string[] } } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-pin-'));
  writeFileSync(path.join(dir, 'package-lock.json'), lockText);
  writeFileSync(path.join(dir, 'package.json'), manifestText);
  const r = spawnSync('npm', ['ls', '--package-lock-only', '--all', '--json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, npm_config_registry: REGISTRY, npm_config_offline: 'true' },
  });
  return { status: r.status, tree: JSON.parse(r.stdout || '{}') as { problems?: string[] } };
}

const exposedPackageLock = () => exposedLockfile('package-lock', { repos: 12, exposedRepos: 3, seed: 3 });

describe('pinNpmLockfile', () => {
  const docs = seededPackuments(REGISTRY);

  it('moves the bad version to the last good one with the registry’s resolved and integrity, drops the dropper, and npm reads the result', async () => {
    const { lockText, manifestText } = exposedPackageLock();
    // The generated project as it is: npm reads it, and it holds both bad versions.
    expect(npmLs(lockText, manifestText).status).toBe(0);
    expect(
      findingsFor('package-lock.json', PARSERS['package-lock']('package-lock.json', lockText), lookup),
    ).toHaveLength(2);

    const r = await pinNpmLockfile({ lockText, manifestText, affected, registry: registryOf(docs) });

    expect(r.problems).toEqual([]);
    expect(r.changes).toEqual(
      expect.arrayContaining([
        { package: '@mastra/core', from: '1.42.1', to: '1.42.0', paths: ['node_modules/@mastra/core'] },
        { package: 'easy-day-js', from: '1.11.22', to: null, paths: ['node_modules/easy-day-js'] },
      ]),
    );
    expect(r.removed).toContain('easy-day-js@1.11.22');
    const lock = JSON.parse(r.lockText) as { packages: Record<string, Record<string, unknown>> };
    const good = docs.get('@mastra/core')!.versions['1.42.0']!;
    expect(lock.packages['node_modules/@mastra/core']).toMatchObject({
      version: '1.42.0',
      resolved: good.dist.tarball,
      integrity: good.dist.integrity,
      dependencies: good.dependencies,
    });
    expect(lock.packages['node_modules/easy-day-js']).toBeUndefined();
    const manifest = JSON.parse(r.manifestText!) as { dependencies: Record<string, string>; overrides: object };
    expect(manifest.dependencies['@mastra/core']).toBe('1.42.0');
    expect(manifest.overrides).toEqual({ '@mastra/core': '1.42.0' });

    // Our own scanner finds nothing affected any more, and npm itself reads the lockfile without error.
    expect(findingsFor('package-lock.json', PARSERS['package-lock']('package-lock.json', r.lockText), lookup)).toEqual(
      [],
    );
    const ls = npmLs(r.lockText, r.manifestText!);
    expect(ls.tree.problems).toBeUndefined();
    expect(ls.status).toBe(0);
    expect(ls.tree).toMatchObject({ dependencies: { '@mastra/core': { version: '1.42.0' } } });
    expect(JSON.stringify(ls.tree)).not.toContain('easy-day-js');
    // Without the manifest's pin, npm reports the rolled-back version as invalid: the check above can fail.
    expect(npmLs(r.lockText, manifestText).status).not.toBe(0);
  });

  it('adds a dependency the good version needs and the tree lacks, nested when the top slot holds another major', async () => {
    const lockText = JSON.stringify({
      name: 'p',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'p', version: '1.0.0', dependencies: { left: '^2.0.0', util: '^1.0.0' } },
        'node_modules/left': {
          version: '2.0.1',
          resolved: `${REGISTRY}/left/-/left-2.0.1.tgz`,
          integrity: 'sha512-l201',
        },
        'node_modules/util': {
          version: '1.0.0',
          resolved: `${REGISTRY}/util/-/util-1.0.0.tgz`,
          integrity: 'sha512-u100',
        },
      },
    });
    const manifestText = JSON.stringify({
      name: 'p',
      version: '1.0.0',
      dependencies: { left: '^2.0.0', util: '^1.0.0' },
    });
    const v = (name: string, version: string, dependencies?: Record<string, string>) => ({
      name,
      version,
      ...(dependencies ? { dependencies } : {}),
      dist: { tarball: `${REGISTRY}/${name}/-/${name}-${version}.tgz`, integrity: `sha512-${name}${version}` },
    });
    const reg = new Map<string, Packument>([
      [
        'left',
        {
          name: 'left',
          versions: { '2.0.0': v('left', '2.0.0', { util: '^2.0.0' }), '2.0.1': v('left', '2.0.1') },
          time: { '2.0.0': '2026-01-01T00:00:00Z', '2.0.1': '2026-06-01T00:00:00Z' },
        },
      ],
      ['util', { name: 'util', versions: { '1.0.0': v('util', '1.0.0'), '2.1.0': v('util', '2.1.0') } }],
    ]);
    const r = await pinNpmLockfile({
      lockText,
      manifestText,
      affected: (name, version) => name === 'left' && version === '2.0.1',
      registry: registryOf(reg),
    });
    const lock = JSON.parse(r.lockText) as { packages: Record<string, { version: string }> };
    expect(lock.packages['node_modules/left']!.version).toBe('2.0.0');
    expect(lock.packages['node_modules/util']!.version).toBe('1.0.0');
    expect(lock.packages['node_modules/left/node_modules/util']!.version).toBe('2.1.0');
    expect(r.added).toEqual(['util@2.1.0']);
    const ls = npmLs(r.lockText, r.manifestText!);
    expect(ls.tree.problems).toBeUndefined();
    expect(ls.status).toBe(0);
  });

  it('rewrites the legacy dependencies tree of a v2 lockfile to match', async () => {
    const { lockText, manifestText } = exposedPackageLock();
    const v3 = JSON.parse(lockText) as { packages: object };
    const v2 = JSON.stringify({ ...v3, lockfileVersion: 2, dependencies: {} }, null, 2);
    const r = await pinNpmLockfile({ lockText: v2, manifestText, affected, registry: registryOf(docs) });
    const lock = JSON.parse(r.lockText) as {
      lockfileVersion: number;
      dependencies: Record<string, { version: string }>;
    };
    expect(lock.lockfileVersion).toBe(2);
    expect(lock.dependencies['@mastra/core']!.version).toBe('1.42.0');
    expect(lock.dependencies['easy-day-js']).toBeUndefined();
    expect(npmLs(r.lockText, r.manifestText!).status).toBe(0);
  });

  it('says an npm 6 lockfile must be pinned by hand instead of guessing', async () => {
    const lockText = JSON.stringify({ name: 'p', lockfileVersion: 1, dependencies: { x: { version: '1.0.0' } } });
    const r = await pinNpmLockfile({ lockText, affected: () => true, registry: registryOf(new Map()) });
    expect(r.lockText).toBe(lockText);
    expect(r.problems).toEqual([expect.stringContaining('lockfileVersion 1')]);
  });
});

describe('lastGoodVersion', () => {
  const doc: Packument = {
    name: 'axios',
    versions: Object.fromEntries(
      ['0.30.3', '0.30.4', '1.13.9', '1.14.0', '1.14.1', '1.14.2', '1.15.0-beta.1'].map((version) => [
        version,
        { name: 'axios', version, dist: { tarball: `t/${version}` } },
      ]),
    ),
    time: {
      '0.30.3': '2026-02-01T00:00:00Z',
      '0.30.4': '2026-03-31T01:00:00Z',
      '1.13.9': '2026-02-01T00:00:00Z',
      '1.14.0': '2026-03-01T00:00:00Z',
      '1.14.1': '2026-03-31T01:00:00Z',
      '1.14.2': '2026-04-02T00:00:00Z',
      '1.15.0-beta.1': '2026-04-03T00:00:00Z',
    },
  };
  const bad = (v: string) => v === '1.14.1' || v === '0.30.4';

  it('picks the highest unaffected version below the bad one that the dependents’ ranges admit', () => {
    expect(lastGoodVersion(doc, '1.14.1', ['^1.13.0'], bad)).toBe('1.14.0');
    expect(lastGoodVersion(doc, '0.30.4', ['^0.30.0'], bad)).toBe('0.30.3');
    expect(lastGoodVersion(doc, '1.14.1', ['~1.13.0'], bad)).toBe('1.13.9');
  });

  it('falls forward to a fixed release only when nothing below qualifies, and honours the publish-time cut-off', () => {
    expect(lastGoodVersion(doc, '1.14.1', ['>=1.14.1'], bad)).toBe('1.14.2');
    expect(lastGoodVersion(doc, '1.14.1', ['>=1.14.1'], bad, '2026-03-31T00:00:00Z')).toBeUndefined();
  });
});

describe('pinPnpmLockfile', () => {
  const docs = seededPackuments(REGISTRY);

  const exposedPnpmLock = () => exposedLockfile('pnpm-lock', { repos: 18, exposedRepos: 4, seed: 5 }, true);

  it('moves the bad version to the last good one, drops the dropper, pins overrides both sides, and pnpm accepts it', async () => {
    const { lockText, manifestText } = exposedPnpmLock();
    expect((await readByPackageManager('pnpm-lock', 'pnpm-lock.yaml', lockText, manifestText)).status).toBe(0);
    const r = await pinPnpmLockfile({ lockText, manifestText, affected, registry: registryOf(docs) });
    expect(r.problems).toEqual([]);
    expect(r.changes.map((c) => [c.package, c.from, c.to])).toEqual([
      ['@mastra/core', '1.42.1', '1.42.0'],
      ['easy-day-js', '1.11.22', null],
    ]);
    const lock = parseYaml(r.lockText) as {
      overrides: Record<string, string>;
      importers: { '.': { dependencies: Record<string, { specifier: string; version: string }> } };
      packages: Record<string, { resolution: { integrity: string } }>;
      snapshots: Record<string, { dependencies?: Record<string, string> }>;
    };
    expect(lock.overrides).toEqual({ '@mastra/core': '1.42.0' });
    expect(lock.importers['.'].dependencies['@mastra/core']).toEqual({ specifier: '1.42.0', version: '1.42.0' });
    expect(lock.packages['@mastra/core@1.42.0']!.resolution.integrity).toBe(
      docs.get('@mastra/core')!.versions['1.42.0']!.dist.integrity,
    );
    expect(lock.snapshots['@mastra/core@1.42.0']).toEqual({ dependencies: { zod: '3.23.8' } });
    expect(Object.keys(lock.packages).filter((k) => k.startsWith('easy-day-js'))).toEqual([]);
    expect(findingsFor('pnpm-lock.yaml', PARSERS['pnpm-lock']('pnpm-lock.yaml', r.lockText), lookup)).toEqual([]);
    // Lines the pin did not touch keep their bytes: the pull request diff shows only the pin.
    expect(r.lockText).toContain("  'react@18.3.1':\n    dependencies:\n      loose-envify: 1.4.0\n");

    const manifest = JSON.parse(r.manifestText!) as { dependencies: Record<string, string>; pnpm: object };
    expect(manifest.dependencies['@mastra/core']).toBe('1.42.0');
    expect(manifest.pnpm).toEqual({ overrides: { '@mastra/core': '1.42.0' } });
    const pnpm = await readByPackageManager('pnpm-lock', 'pnpm-lock.yaml', r.lockText, r.manifestText!);
    expect(pnpm.output).not.toContain('ERR_PNPM');
    expect(pnpm.status).toBe(0);
    // pnpm refuses the pinned lockfile with the old manifest: the check above can fail.
    expect((await readByPackageManager('pnpm-lock', 'pnpm-lock.yaml', r.lockText, manifestText)).status).not.toBe(0);
  });

  it('says a pnpm lockfile older than 9.0 must be pinned with pnpm itself', async () => {
    const lockText = "lockfileVersion: '6.0'\n\ndependencies:\n  x:\n    specifier: ^1.0.0\n    version: 1.0.0\n";
    const r = await pinPnpmLockfile({ lockText, affected: () => true, registry: registryOf(new Map()) });
    expect(r.lockText).toBe(lockText);
    expect(r.problems).toEqual([expect.stringContaining('lockfileVersion 6.0')]);
  });
});
