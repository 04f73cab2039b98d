// The Pipfile.lock pin, checked by pipenv itself: every starting lock is one pipenv wrote from the sandbox index, and
// every pin must pass `pipenv verify`, `pipenv sync` (pip checking each file's hash) and `pip check`.
import { pinPipfileLock } from '../../../../lockfiles/pypi/pipfile-lock.pin';
import { PinInputError } from '../../../../lockfiles/pin-types';
import { createPyPiRegistry } from '../../../../activities/registries/pypi';
import { startPyPiSandbox, type PyPiSandbox, type SandboxProject } from '../../../../sandbox/pypi';
import { ensurePipenv, pipenvLock, readByPipenv } from '../../../harness/pipenv';
import { affectedBy, BEFORE_016, WINDOW, wheelHash } from './pypi-fixtures';

/** A compromised library whose bad release adds a dropper (which brings its own helper); the good one needs idna. */
const FASTJSONX: SandboxProject[] = [
  {
    name: 'fastjsonx',
    releases: [
      { version: '2.1.0', uploaded: '2026-05-01T00:00:00Z', requiresDist: ['six>=1.10', 'idna>=3.0'] },
      { version: '2.1.1', uploaded: '2026-06-17T05:00:00Z', requiresDist: ['six>=1.10', 'py-exfil==0.1.0'] },
    ],
  },
  { name: 'six', releases: [{ version: '1.16.0', uploaded: '2021-05-05T14:18:18Z' }] },
  {
    name: 'py-exfil',
    releases: [{ version: '0.1.0', uploaded: '2026-06-17T04:30:00Z', requiresDist: ['exfil-helper>=1'] }],
  },
  { name: 'exfil-helper', releases: [{ version: '1.0.0', uploaded: '2026-06-17T04:20:00Z' }] },
  {
    name: 'idna',
    releases: [
      { version: '3.7', uploaded: '2024-04-11T03:34:24Z' },
      { version: '3.8', uploaded: '2026-06-17T06:00:00Z' },
    ],
  },
];

const pipfile = (packages: string) => `[packages]\n${packages}\n\n[requires]\npython_version = "3.11"\n`;

// pipenv creates a virtualenv and installs into it for each check: seconds each.
jest.setTimeout(180_000);

describe('pinPipfileLock', () => {
  let index: PyPiSandbox;
  let extra: PyPiSandbox;

  beforeAll(async () => {
    // Finds pipenv in the tool cache, installing it there if npm test did not already (or uses $PIPENV); a failure
    // here fails every test with its reason.
    await ensurePipenv();
    index = await startPyPiSandbox({ projects: BEFORE_016 });
    extra = await startPyPiSandbox({ projects: FASTJSONX });
  });
  afterAll(async () => {
    await index.stop();
    await extra.stop();
  });

  it('moves num2words 0.5.15 to 0.5.14 in the lock pipenv wrote, and pipenv installs 0.5.14 from it', async () => {
    const manifest = pipfile('num2words = ">=0.5.13"');
    const before = await pipenvLock(manifest, index.url);
    expect(JSON.parse(before).default.num2words.version).toBe('==0.5.15');

    const pinned = await pinPipfileLock({
      lockText: before,
      manifestText: manifest,
      affected: affectedBy(),
      registry: createPyPiRegistry({ url: index.url }),
      publishedBefore: WINDOW,
    });
    expect(pinned.problems).toEqual([]);
    expect(pinned.changes).toEqual([
      { package: 'num2words', from: '0.5.15', to: '0.5.14', paths: ['Pipfile.lock default num2words'] },
    ]);
    // Only the version and the hash change: every other byte is as pipenv wrote it.
    const bad = wheelHash('num2words', '0.5.15', ['docopt>=0.6.2']);
    const good = wheelHash('num2words', '0.5.14', ['docopt>=0.6.2']);
    expect(pinned.lockText).toBe(before.replace('"==0.5.15"', '"==0.5.14"').replace(bad, good));

    const checked = await readByPipenv({ pipfile: manifest, lock: pinned.lockText }, index.url);
    expect(checked.status).toBe(0);
    expect(checked.installed).toMatchObject({ num2words: '0.5.14', docopt: '0.6.2' });

    // The same pin with the bad release's hash left in: pip, under pipenv sync, refuses the download.
    const stale = await readByPipenv({ pipfile: manifest, lock: pinned.lockText.replace(good, bad) }, index.url);
    expect(stale.status).not.toBe(0);
    expect(stale.output).toMatch(/HASHES/);
    expect(stale.installed.num2words).toBeUndefined();
  });

  it('removes the dropper and what only it needed, adds what the good release needs, and pipenv installs it all', async () => {
    const manifest = pipfile('fastjsonx = "*"');
    const before = await pipenvLock(manifest, extra.url);
    expect(Object.keys(JSON.parse(before).default).sort()).toEqual(['exfil-helper', 'fastjsonx', 'py-exfil', 'six']);

    const pinned = await pinPipfileLock({
      lockText: before,
      manifestText: manifest,
      affected: affectedBy([
        { ecosystem: 'PyPI', name: 'fastjsonx', versions: ['2.1.1'], ranges: [] },
        { ecosystem: 'PyPI', name: 'py-exfil', versions: ['0.1.0'], ranges: [] },
      ]),
      registry: createPyPiRegistry({ url: extra.url }),
      publishedBefore: '2026-06-17T04:00:00Z',
    });
    expect(pinned.removed).toEqual(['py-exfil@0.1.0', 'exfil-helper@1.0.0']);
    // idna 3.8 came out inside the window: the addition takes 3.7.
    expect(pinned.added).toEqual(['idna@3.7']);
    const lock = JSON.parse(pinned.lockText);
    expect(Object.keys(lock.default)).toEqual(['fastjsonx', 'idna', 'six']);
    expect(lock.default.idna).toEqual({ hashes: [wheelHash('idna', '3.7')], version: '==3.7' });

    const checked = await readByPipenv({ pipfile: manifest, lock: pinned.lockText }, extra.url);
    expect(checked.status).toBe(0);
    expect(checked.installed).toMatchObject({ fastjsonx: '2.1.0', idna: '3.7', six: '1.16.0' });
    expect(checked.installed['py-exfil']).toBeUndefined();
    // Without the added idna, pipenv installs the rest without a word; pip check is what refuses it.
    delete lock.default.idna;
    const missing = await readByPipenv({ pipfile: manifest, lock: `${JSON.stringify(lock, null, 4)}\n` }, extra.url);
    expect(missing.status).not.toBe(0);
    expect(missing.output).toMatch(/fastjsonx 2\.1\.0 requires idna/);
  });

  it('leaves the lock alone and says why when no release is good', async () => {
    // The Pipfile asking for the bad release itself is in python-locks.pin.test.ts, with Poetry's and uv's.
    const before = await pipenvLock(pipfile('num2words = "==0.5.15"'), index.url);
    const none = await pinPipfileLock({
      lockText: before,
      manifestText: pipfile('num2words = "*"'),
      affected: affectedBy([{ ecosystem: 'PyPI', name: 'num2words', versions: ['0.5.13', '0.5.14'], ranges: [] }]),
      registry: createPyPiRegistry({ url: index.url }),
      publishedBefore: WINDOW,
    });
    expect(none.changes).toEqual([]);
    expect(none.problems).toEqual([
      `num2words 0.5.15 (default): no release on ${index.url} is unaffected, published before the window: remove or replace the dependency by hand`,
    ]);
  });

  it('says which file is unreadable, and hands other lock versions to a person', async () => {
    const registry = createPyPiRegistry({ url: index.url });
    await expect(pinPipfileLock({ lockText: '{"_meta": ', affected: affectedBy(), registry })).rejects.toThrow(
      PinInputError,
    );
    await expect(
      pinPipfileLock({
        lockText: '{"_meta": {"pipfile-spec": 6}, "default": {}}',
        manifestText: '[packages\n',
        affected: affectedBy(),
        registry,
      }),
    ).rejects.toThrow(/^Pipfile is not valid TOML: line 1/);
    const old = await pinPipfileLock({ lockText: '{"_meta": {"pipfile-spec": 5}}', affected: affectedBy(), registry });
    expect(old.problems).toEqual(['Pipfile.lock spec 5 is not rewritten by cordon (only 6): run pipenv lock']);
  });
});
