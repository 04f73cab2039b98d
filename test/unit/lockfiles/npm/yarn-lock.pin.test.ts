// The yarn 1 pin, checked by yarn 1 itself: installs from the sandbox registry (real tarballs, real integrity), with
// --frozen-lockfile so yarn refuses rather than repairs, and a plain install afterwards that must leave the pinned
// lockfile byte for byte as it is.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PinInputError } from '../../../../lockfiles/npm/package-lock.pin';
import { pinYarnLockfile } from '../../../../lockfiles/npm/yarn-lock.pin';
import { findingsFor } from '../../../../lockfiles/findings';
import { PARSERS } from '../../../../lockfiles';
import type { NpmRegistry, Packument } from '../../../../activities/registries/npm';
import { AdvisoryLookup, parseOsvJson } from '../../../../domain/advisory';
import { tarball } from '../../../../sandbox/github/generate';
import { startNpmRegistrySandbox, tarballDigests, type NpmRegistrySandbox } from '../../../../sandbox/npm-registry';
import {
  exposedLockfile,
  installedVersion,
  mirrored,
  readByPackageManager,
  yarnInstall,
} from '../../../harness/package-managers';

const ROOT = path.resolve(__dirname, '../../../..');
const lookup = new AdvisoryLookup(
  ['MAL-2026-6011.json', 'MAL-2026-5979.json'].flatMap(
    (f) => parseOsvJson(f, readFileSync(path.join(ROOT, 'sandbox/advisories', f), 'utf8')).advisories,
  ),
);
const mastraAffected = (name: string, version: string) => lookup.affecting('npm', name, version).length > 0;

function registryClient(sandbox: NpmRegistrySandbox): NpmRegistry {
  return {
    url: sandbox.url,
    async packument(name) {
      const doc = sandbox.packuments.get(name);
      if (!doc) throw new Error(`no ${name}`);
      return doc;
    },
  };
}

/** A package document whose versions the sandbox serves as real tarballs: version → [dependencies, published]. */
function packument(url: string, name: string, versions: Record<string, [Record<string, string>, string]>): Packument {
  const doc: Packument = { name, 'dist-tags': {}, versions: {}, time: {} };
  for (const [version, [dependencies, published]] of Object.entries(versions)) {
    const m = { name, version, ...(Object.keys(dependencies).length > 0 ? { dependencies } : {}) };
    const { integrity, shasum } = tarballDigests(m);
    doc.versions[version] = {
      ...m,
      license: 'MIT',
      dist: { tarball: tarball(url, m), integrity, shasum },
    };
    doc.time![version] = published;
  }
  doc['dist-tags'] = { latest: Object.keys(versions).at(-1)! };
  return doc;
}

describe('pinYarnLockfile', () => {
  let registry: NpmRegistrySandbox;

  beforeAll(async () => {
    registry = await startNpmRegistrySandbox();
  });
  afterAll(async () => {
    await registry.stop();
  });

  const exposedYarnLock = () => exposedLockfile('yarn-lock', { repos: 18, exposedRepos: 4, seed: 5 });

  it('moves the bad version to the last good one and drops the dropper; yarn installs it frozen and keeps it as is', async () => {
    const { lockText, manifestText } = exposedYarnLock();
    expect(findingsFor('yarn.lock', PARSERS['yarn-lock']('yarn.lock', lockText), lookup)).toHaveLength(2);

    const r = await pinYarnLockfile({
      lockText,
      manifestText,
      affected: mastraAffected,
      registry: registryClient(registry),
    });

    expect(r.problems).toEqual([]);
    expect(r.changes.map((c) => [c.package, c.from, c.to])).toEqual([
      ['@mastra/core', '1.42.1', '1.42.0'],
      ['easy-day-js', '1.11.22', null],
    ]);
    expect(r.removed).toEqual(['easy-day-js@1.11.22']);
    expect(findingsFor('yarn.lock', PARSERS['yarn-lock']('yarn.lock', r.lockText), lookup)).toEqual([]);
    const good = registry.packuments.get('@mastra/core')!.versions['1.42.0']!;
    expect(r.lockText).toContain(
      `"@mastra/core@1.42.0":\n  version "1.42.0"\n  resolved "${good.dist.tarball}#${good.dist.shasum}"\n  integrity ${good.dist.integrity}\n`,
    );
    const manifest = JSON.parse(r.manifestText!) as { dependencies: Record<string, string>; resolutions: object };
    expect(manifest.dependencies['@mastra/core']).toBe('1.42.0');
    expect(manifest.resolutions).toEqual({ '@mastra/core': '1.42.0' });

    // yarn 1 installs the pinned lockfile without touching it, and the good version is what lands.
    const frozen = await readByPackageManager('yarn-lock', 'yarn.lock', r.lockText, r.manifestText!, registry.url);
    expect(frozen.output).not.toMatch(/error/i);
    expect(frozen.status).toBe(0);
    expect(installedVersion(frozen.dir, '@mastra/core')).toBe('1.42.0');
    expect(installedVersion(frozen.dir, 'easy-day-js')).toBeUndefined();
    // A plain install rewrites nothing: the pin is exactly what yarn itself would have written.
    const before = readFileSync(path.join(frozen.dir, 'yarn.lock'), 'utf8');
    expect((await yarnInstall(frozen.dir, registry.url, false)).status).toBe(0);
    expect(readFileSync(path.join(frozen.dir, 'yarn.lock'), 'utf8')).toBe(before);

    // With the old package.json yarn refuses the pinned lockfile: the check above can fail.
    const old = await readByPackageManager('yarn-lock', 'yarn.lock', r.lockText, manifestText, registry.url);
    expect(old.status).not.toBe(0);
    expect(old.output).toContain('Your lockfile needs to be updated');
  });

  it('pins a transitive dependency under the patterns that required it, adding what the good version needs', async () => {
    const url = registry.url;
    const early = '2026-01-01T00:00:00.000Z';
    const inWindow = '2026-06-17T03:00:00.000Z';
    registry.packuments.set(
      'pad-left-x',
      packument(url, 'pad-left-x', {
        '2.0.0': [{}, early],
        '2.1.0': [{ 'tiny-helper-x': '^1.0.0' }, early],
        '2.1.1': [{ 'evil-dropper-x': '^0.1.0' }, inWindow],
      }),
    );
    registry.packuments.set(
      'tiny-helper-x',
      packument(url, 'tiny-helper-x', { '1.0.0': [{}, early], '1.0.1': [{}, early] }),
    );
    registry.packuments.set('evil-dropper-x', packument(url, 'evil-dropper-x', { '0.1.0': [{}, inWindow] }));
    registry.packuments.set('wrapper-x', packument(url, 'wrapper-x', { '3.0.0': [{ 'pad-left-x': '^2.0.0' }, early] }));
    // The project as yarn locked it while the bad release was the latest.
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-yarn-'));
    const manifestText = `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, dependencies: { 'wrapper-x': '^3.0.0' } }, null, 2)}\n`;
    writeFileSync(path.join(dir, 'package.json'), manifestText);
    expect((await yarnInstall(dir, url, false)).status).toBe(0);
    const lockText = readFileSync(path.join(dir, 'yarn.lock'), 'utf8');
    expect(lockText).toContain('pad-left-x@^2.0.0:\n  version "2.1.1"');
    expect(lockText).toContain('evil-dropper-x');

    const affected = (name: string, version: string) =>
      (name === 'pad-left-x' && version === '2.1.1') || name === 'evil-dropper-x';
    const reg = registryClient(registry);
    const r = await pinYarnLockfile({ lockText, manifestText, affected, registry: reg, publishedBefore: inWindow });

    expect(r.problems).toEqual([]);
    expect(r.changes).toEqual([
      { package: 'evil-dropper-x', from: '0.1.0', to: null, paths: ['evil-dropper-x@^0.1.0'] },
      { package: 'pad-left-x', from: '2.1.1', to: '2.1.0', paths: ['pad-left-x@^2.0.0'] },
    ]);
    expect(r.added).toEqual(['tiny-helper-x@1.0.1']);
    expect(r.removed).toEqual(['evil-dropper-x@0.1.0']);
    const manifest = JSON.parse(r.manifestText!) as { dependencies: object; resolutions: object };
    expect(manifest.dependencies).toEqual({ 'wrapper-x': '^3.0.0' });
    expect(manifest.resolutions).toEqual({ 'pad-left-x': '2.1.0' });

    const frozen = await readByPackageManager('yarn-lock', 'yarn.lock', r.lockText, r.manifestText!, url);
    expect(frozen.status).toBe(0);
    expect(installedVersion(frozen.dir, 'pad-left-x')).toBe('2.1.0');
    expect(installedVersion(frozen.dir, 'tiny-helper-x')).toBe('1.0.1');
    expect(installedVersion(frozen.dir, 'evil-dropper-x')).toBeUndefined();
    const before = readFileSync(path.join(frozen.dir, 'yarn.lock'), 'utf8');
    expect((await yarnInstall(frozen.dir, url, false)).status).toBe(0);
    expect(readFileSync(path.join(frozen.dir, 'yarn.lock'), 'utf8')).toBe(before);
    expect(mirrored(r.lockText, url)).toBe(before);
  });

  it('leaves a berry lockfile to a person, and names the line of an unreadable one', async () => {
    const berry = '__metadata:\n  version: 8\n\n"x@npm:^1.0.0":\n  version: 1.0.0\n';
    const r = await pinYarnLockfile({
      lockText: berry,
      manifestText: '{}',
      affected: () => true,
      registry: registryClient(registry),
    });
    expect(r.lockText).toBe(berry);
    expect(r.changes).toEqual([]);
    expect(r.problems).toEqual([expect.stringContaining('yarn berry (v2+) lockfiles are not rewritten')]);

    const broken = '# yarn lockfile v1\n\n\nx@^1.0.0:\n  version "1.0.0"\nnot a header\n';
    await expect(
      pinYarnLockfile({
        lockText: broken,
        manifestText: '{}',
        affected: () => true,
        registry: registryClient(registry),
      }),
    ).rejects.toThrow(
      new PinInputError('lockfile', "is not a readable yarn.lock: line 6: expected an entry header ending in ':'"),
    );
    await expect(
      pinYarnLockfile({ lockText: '# yarn lockfile v1\n', affected: () => true, registry: registryClient(registry) }),
    ).rejects.toThrow(/package\.json is missing next to yarn\.lock/);
  });
});
