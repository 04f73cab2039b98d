// The uv.lock pin, checked by uv itself: every starting lock is one uv wrote from the sandbox index, and every pin
// must pass `uv lock --check` (the lock still satisfies pyproject.toml) and `uv sync --locked`, which downloads the
// wheels and refuses a file whose sha256 the lock does not list.
import { pinUvLockfile } from '../../../../lockfiles/pypi/uv-lock.pin';
import { createPyPiRegistry } from '../../../../activities/registries/pypi';
import { startPyPiSandbox, type PyPiSandbox, type SandboxProject } from '../../../../sandbox/pypi';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileOf } from '../../../../sandbox/pypi/projects';
import { ensureUv, readByUv, uvLock } from '../../../harness/uv';
import { affectedBy, BEFORE_016, pyproject, tomlEntry as entry, WINDOW, wheelHash } from './pypi-fixtures';

const sha = wheelHash;

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

  beforeAll(async () => {
    // Finds uv in the tool cache, installing it there if npm test did not already (or uses $UV); a failure
    // here fails every test with its reason.
    await ensureUv();
    index = await startPyPiSandbox({ projects: BEFORE_016 });
  }, 300_000);
  afterAll(async () => {
    await index?.stop();
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
});
