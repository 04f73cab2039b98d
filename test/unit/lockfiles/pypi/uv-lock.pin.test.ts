// The uv.lock pin, checked by uv itself: every starting lock is one uv wrote from the sandbox index, and every pin
// must pass `uv lock --check` (the lock still satisfies pyproject.toml) and `uv sync --locked`, which downloads the
// wheels and refuses a file whose sha256 the lock does not list.
import { pinUvLockfile } from '../../../../lockfiles/pypi/uv-lock.pin';
import { PinInputError } from '../../../../lockfiles/pin-types';
import { createPyPiRegistry } from '../../../../activities/registries/pypi';
import { projectsWithout, startPyPiSandbox, type PyPiSandbox, type SandboxProject } from '../../../../sandbox/pypi';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileOf } from '../../../../sandbox/pypi/projects';
import { ensureUv, readByUv, uvLock } from '../../../harness/uv';
import { affectedBy, FASTJSONX, WINDOW, wheelHash } from './pypi-fixtures';

const sha = wheelHash;

/** The seeded index the day 0.5.15 was out and 0.5.16 not yet: a fresh `uv lock` takes the bad 0.5.15. */
const BEFORE_016: SandboxProject[] = projectsWithout('num2words', '0.5.16');

const pyproject = (dependencies: string[]) =>
  [
    '[project]',
    'name = "billing"',
    'version = "0.1.0"',
    'requires-python = ">=3.9"',
    `dependencies = [${dependencies.map((d) => JSON.stringify(d)).join(', ')}]`,
    '',
  ].join('\n');

/** One `[[package]]` entry of a lock, by name, as text. */
const entry = (lock: string, name: string) =>
  lock.split(/\n(?=\[\[package\]\])/).find((b) => b.startsWith(`[[package]]\nname = "${name}"\n`));

/** BEFORE_016 with upload times to the microsecond, as PyPI gives them. */
const TIMED: SandboxProject[] = BEFORE_016.map((p) =>
  p.name === 'num2words'
    ? { ...p, releases: p.releases.map((r) => ({ ...r, uploaded: r.uploaded.replace(/Z$/, '.120456Z') })) }
    : p,
);

/**
 * A PEP 691 JSON simple index in front of a sandbox (its files, by the sandbox's URLs), with `size` and `upload-time`
 * per file as pypi.org serves them: from it uv records both in uv.lock, which the sandbox's HTML pages do not give.
 */
async function jsonSimpleFront(sandbox: PyPiSandbox): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const m = /^\/simple\/([^/]+)\/?$/.exec(req.url ?? '');
    const p = m ? sandbox.projects.get(m[1]!.toLowerCase().replace(/[-_.]+/g, '-')) : undefined;
    if (!p) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/vnd.pypi.simple.v1+json' });
    res.end(
      JSON.stringify({
        meta: { 'api-version': '1.1' },
        name: p.name,
        versions: p.releases.map((r) => r.version),
        files: p.releases.map((r) => {
          const f = fileOf(sandbox.url, p.name, r);
          return {
            filename: f.filename,
            url: f.url,
            hashes: { sha256: f.digests.sha256 },
            'requires-python': f.requires_python,
            size: f.size,
            'upload-time': f.upload_time_iso_8601,
          };
        }),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('pinUvLockfile', () => {
  let index: PyPiSandbox;
  let extra: PyPiSandbox;

  beforeAll(async () => {
    // Finds uv in the tool cache, installing it there if npm test did not already (or uses $UV); a failure
    // here fails every test with its reason.
    await ensureUv();
    index = await startPyPiSandbox({ projects: BEFORE_016 });
    extra = await startPyPiSandbox({ projects: FASTJSONX });
  }, 300_000);
  afterAll(async () => {
    await index?.stop();
    await extra?.stop();
  });

  it('moves num2words 0.5.15 to 0.5.14 as uv would lock it, and uv installs 0.5.14 from it', async () => {
    const project = pyproject(['num2words>=0.5.13']);
    const before = await uvLock(project, index.url);
    expect(before).toMatch(/^version = 1\nrevision = \d+\n/);
    expect(entry(before, 'num2words')).toContain('version = "0.5.15"');

    const pinned = await pinUvLockfile({
      lockText: before,
      manifestText: project,
      affected: affectedBy(),
      registry: createPyPiRegistry({ url: index.url }),
      publishedBefore: WINDOW,
    });
    expect(pinned.problems).toEqual([]);
    expect(pinned.changes).toEqual([
      {
        package: 'num2words',
        from: '0.5.15',
        to: '0.5.14',
        paths: [expect.stringMatching(/^uv.lock \[\[package\]\] num2words/)],
      },
    ]);
    expect(pinned.manifestText).toBe(project);
    const good = sha('num2words', '0.5.14', ['docopt>=0.6.2']);
    const bad = sha('num2words', '0.5.15', ['docopt>=0.6.2']);
    // Every other byte stays as uv wrote it.
    expect(pinned.lockText).toBe(
      before
        .replace('version = "0.5.15"', 'version = "0.5.14"')
        .replace(
          `/packages/num2words-0.5.15-py3-none-any.whl", hash = "${bad}"`,
          `/packages/num2words-0.5.14-py3-none-any.whl", hash = "${good}"`,
        ),
    );
    // The entry reads as uv writes it when it locks 0.5.14 itself.
    const byUv = await uvLock(pyproject(['num2words>=0.5.13,<0.5.15']), index.url);
    expect(entry(pinned.lockText, 'num2words')).toBe(entry(byUv, 'num2words'));

    const uv = await readByUv({ pyproject: project, lock: pinned.lockText }, index.url);
    expect(uv.status).toBe(0);
    expect(uv.output).toMatch(/\+ num2words==0\.5\.14/);
    expect(uv.installed).toMatchObject({ num2words: '0.5.14', docopt: '0.6.2' });

    // The same pin with the bad release's digest left in: uv refuses the download, so the check above can fail.
    const stale = pinned.lockText.replace(good, bad);
    expect(stale).not.toBe(pinned.lockText);
    const refused = await readByUv({ pyproject: project, lock: stale }, index.url);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/[Hh]ash mismatch/);
    expect(refused.installed.num2words).toBeUndefined();
  });

  it('writes size and upload-time as uv does when the lock records them (a PEP 691 index, as pypi.org)', async () => {
    const timed = await startPyPiSandbox({ projects: TIMED });
    const front = await jsonSimpleFront(timed);
    try {
      const project = pyproject(['num2words>=0.5.13']);
      const before = await uvLock(project, front.url);
      expect(entry(before, 'num2words')).toMatch(/, size = \d+, upload-time = "2025-07-28T01:00:00\.12Z" \}/);
      const pinned = await pinUvLockfile({
        lockText: before,
        manifestText: project,
        affected: affectedBy(),
        registry: createPyPiRegistry({ url: timed.url }),
        publishedBefore: WINDOW,
      });
      expect(pinned.problems).toEqual([]);
      const byUv = await uvLock(pyproject(['num2words>=0.5.13,<0.5.15']), front.url);
      expect(entry(pinned.lockText, 'num2words')).toBe(entry(byUv, 'num2words'));
      expect(entry(pinned.lockText, 'num2words')).toContain('upload-time = "2024-12-17T12:00:00.12Z"');
      const uv = await readByUv({ pyproject: project, lock: pinned.lockText }, front.url);
      expect(uv.status).toBe(0);
      expect(uv.installed.num2words).toBe('0.5.14');
    } finally {
      front.server.close();
      await timed.stop();
    }
  });

  it('skips a good release uploaded inside the window', async () => {
    const project = pyproject(['num2words>=0.5.13']);
    const before = await uvLock(project, index.url);
    const pinned = await pinUvLockfile({
      lockText: before,
      manifestText: project,
      affected: affectedBy(),
      registry: createPyPiRegistry({ url: index.url }),
      // 0.5.14 (December 2024) is after this: 0.5.13 is the last release known good.
      publishedBefore: '2024-01-01T00:00:00Z',
    });
    expect(pinned.changes.map((c) => c.to)).toEqual(['0.5.13']);
    expect(pinned.lockText).toContain(sha('num2words', '0.5.13', ['docopt>=0.6.2']));
    const uv = await readByUv({ pyproject: project, lock: pinned.lockText }, index.url);
    expect(uv.status).toBe(0);
    expect(uv.installed.num2words).toBe('0.5.13');
  });

  it('leaves the lock alone when pyproject.toml’s requirement excludes the good release', async () => {
    const project = pyproject(['num2words>=0.5.15']);
    const before = await uvLock(project, index.url);
    expect(entry(before, 'num2words')).toContain('version = "0.5.15"');
    const pinned = await pinUvLockfile({
      lockText: before,
      manifestText: project,
      affected: affectedBy(),
      registry: createPyPiRegistry({ url: index.url }),
      publishedBefore: WINDOW,
    });
    expect(pinned.lockText).toBe(before);
    expect(pinned.changes).toEqual([]);
    expect(pinned.problems).toEqual([
      'pyproject.toml requires num2words >=0.5.15, which excludes 0.5.14: change it and run `uv lock`',
    ]);
  });

  it('removes the dropper only the bad release needed, adds what the good one needs, as uv writes them', async () => {
    const project = pyproject(['attrs>=23', 'fastjsonx>=2.1']);
    const before = await uvLock(project, extra.url);
    expect(entry(before, 'fastjsonx')).toContain('version = "2.1.1"');
    expect(entry(before, 'py-exfil')).toBeDefined();
    // As uv locked it, the dropper installs: the lock as it was is consistent.
    const asWas = await readByUv({ pyproject: project, lock: before }, extra.url);
    expect(asWas.status).toBe(0);
    expect(asWas.installed['py-exfil']).toBe('0.1.0');

    const pinned = await pinUvLockfile({
      lockText: before,
      manifestText: project,
      affected: affectedBy([
        { ecosystem: 'PyPI', name: 'fastjsonx', versions: ['2.1.1'], ranges: [] },
        { ecosystem: 'PyPI', name: 'py-exfil', versions: ['0.1.0'], ranges: [] },
      ]),
      registry: createPyPiRegistry({ url: extra.url }),
      publishedBefore: '2026-06-17T04:00:00Z',
    });
    expect(pinned.problems).toEqual([]);
    expect(pinned.changes.map(({ package: p, from, to }) => ({ p, from, to }))).toEqual([
      { p: 'fastjsonx', from: '2.1.1', to: '2.1.0' },
      { p: 'py-exfil', from: '0.1.0', to: null },
    ]);
    expect(pinned.removed).toEqual(['py-exfil@0.1.0']);
    // idna 3.8 came out inside the window: the addition takes 3.7.
    expect(pinned.added).toEqual(['colorama@0.4.6', 'idna@3.7']);
    expect(entry(pinned.lockText, 'py-exfil')).toBeUndefined();
    expect(pinned.lockText).not.toContain('py-exfil');
    const names = [...pinned.lockText.matchAll(/^\[\[package\]\]\nname = "([^"]+)"/gm)].map((m) => m[1]);
    expect(names).toEqual(['attrs', 'billing', 'colorama', 'fastjsonx', 'idna', 'six']);

    // The rewritten and added entries read as uv writes them when it locks the good release itself.
    const byUv = await uvLock(pyproject(['attrs>=23', 'fastjsonx==2.1.0', 'idna==3.7']), extra.url);
    for (const name of ['fastjsonx', 'colorama', 'idna', 'six', 'attrs'])
      expect(entry(pinned.lockText, name)).toBe(entry(byUv, name));
    // The project's own entry is as uv wrote it.
    expect(entry(pinned.lockText, 'billing')).toBe(entry(before, 'billing'));

    const uv = await readByUv({ pyproject: project, lock: pinned.lockText }, extra.url);
    expect(uv.status).toBe(0);
    expect(uv.installed).toMatchObject({ attrs: '23.2.0', fastjsonx: '2.1.0', idna: '3.7', six: '1.16.0' });
    expect(uv.installed['py-exfil']).toBeUndefined();

    // Without the added idna entry uv refuses the lock: the additions are what it needs.
    const missing = pinned.lockText.replace(`${entry(pinned.lockText, 'idna')}\n`, '');
    expect(entry(missing, 'idna')).toBeUndefined();
    const refused = await readByUv({ pyproject: project, lock: missing }, extra.url);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(/Dependency `idna`/);
  });

  it('says which line of a malformed lock is wrong, and leaves a lock version it does not know as it is', async () => {
    const project = pyproject(['num2words>=0.5.13']);
    const before = await uvLock(project, index.url);
    const lines = before.split('\n');
    const at = lines.findIndex((l) => l.startsWith('version = "0.5.15"'));
    lines[at] = 'version = "0.5.15';
    const options = { affected: affectedBy(), registry: createPyPiRegistry({ url: index.url }), manifestText: project };
    const broken = pinUvLockfile({ ...options, lockText: lines.join('\n') });
    await expect(broken).rejects.toBeInstanceOf(PinInputError);
    await expect(broken).rejects.toThrow(new RegExp(`^the lockfile is not valid TOML: line ${at + 1}: `));

    const future = before.replace(/^version = 1$/m, 'version = 2');
    const pinned = await pinUvLockfile({ ...options, lockText: future });
    expect(pinned.lockText).toBe(future);
    expect(pinned.problems).toEqual([
      'uv.lock has version 2, which cordon does not rewrite: run `uv lock` with uv 0.4 or later, then pin again',
    ]);
  });
});
