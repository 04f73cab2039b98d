// The Cargo pin, checked by Cargo itself against the sandbox registry (real `.crate` files, real checksums):
// `cargo metadata --locked` must accept the pinned Cargo.toml and Cargo.lock without changing them, and the text must
// be what Cargo writes. `--locked` compares resolves, not text, so the byte check is separate: a plain `cargo
// metadata` rewrites a lockfile whose lines differ from its own serialization, and a fresh `cargo generate-lockfile`
// for the pinned manifest must produce the same bytes.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { createCratesRegistry, type CratesRegistry } from '../../../../activities/registries/crates';
import { findingsFor } from '../../../../lockfiles/findings';
import { PARSERS } from '../../../../lockfiles';
import { pinCargoLockfile } from '../../../../lockfiles/cargo/cargo-lock.pin';
import { PinInputError } from '../../../../lockfiles/pin-types';
import { AdvisoryLookup, parseOsvJson } from '../../../../domain/advisory';
import { crateMap, startCratesRegistrySandbox, type CratesRegistrySandbox } from '../../../../sandbox/crates-registry';
import { cargo, readByCargo, resolvedPackages } from '../../../harness/cargo';

const OSV = path.resolve(__dirname, '../../../../../shared/data/osv/crates-io/replit_ruspty/MAL-2025-49350.json');
/** The exposure window the sandbox's bad releases fall in starts here. */
const WINDOW_START = '2026-06-17T04:00:00.000Z';
const EARLY = '2026-02-01T00:00:00.000Z';
const IN_WINDOW = '2026-06-17T06:00:00.000Z';
const PLAIN_METADATA = ['metadata', '--format-version', '1'];

const manifest = (deps: string): string =>
  `[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n${deps}`;
const only =
  (name: string, version: string) =>
  (n: string, v: string): boolean =>
    n === name && v === version;

describe('pinCargoLockfile', () => {
  let sandbox: CratesRegistrySandbox;
  let registry: CratesRegistry;

  beforeAll(async () => {
    sandbox = await startCratesRegistrySandbox();
    for (const [name, versions] of crateMap([
      { name: 'win-x', vers: '1.0.0', published: EARLY },
      { name: 'win-x', vers: '1.0.1', published: IN_WINDOW },
      { name: 'win-x', vers: '1.0.2', deps: { 'proc-shim': '0.1' }, published: IN_WINDOW },
      { name: 'dual-a', vers: '9.0.0', published: EARLY },
      { name: 'dual-a', vers: '10.0.0', published: IN_WINDOW },
      { name: 'dual-b', vers: '0.2.0', deps: { 'dual-a': '^9.0' }, published: EARLY },
      { name: 'dual-b', vers: '0.2.1', deps: { 'dual-a': '^10.0' }, published: IN_WINDOW },
      { name: 'extra-x', vers: '1.0.0', published: EARLY },
      { name: 'needy-x', vers: '1.0.0', deps: { 'extra-x': '^1' }, published: EARLY },
      { name: 'needy-x', vers: '1.0.1', published: IN_WINDOW },
    ]))
      sandbox.crates.set(name, versions);
    registry = createCratesRegistry({ indexUrl: sandbox.indexUrl, apiUrl: sandbox.url });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  /** The Cargo.lock Cargo writes for `manifestText` today, with every bad release still the newest. */
  async function lockedByCargo(manifestText: string): Promise<{ lockText: string; dir: string }> {
    const run = await readByCargo({ 'Cargo.toml': manifestText }, sandbox.indexUrl, ['generate-lockfile']);
    expect(run.output).not.toMatch(/error/);
    return { lockText: readFileSync(path.join(run.dir, 'Cargo.lock'), 'utf8'), dir: run.dir };
  }

  /** Cargo accepts the pin with `--locked`, and writes exactly the same text for that resolve. */
  async function expectCargoWritesTheSame(manifestText: string, lockText: string, fresh = true): Promise<string[]> {
    const locked = await readByCargo({ 'Cargo.toml': manifestText, 'Cargo.lock': lockText }, sandbox.indexUrl);
    expect(locked.output).not.toMatch(/error/);
    expect(locked.status).toBe(0);
    const plain = await cargo(locked.dir, PLAIN_METADATA);
    expect(plain.status).toBe(0);
    expect(readFileSync(path.join(locked.dir, 'Cargo.lock'), 'utf8')).toBe(lockText);
    if (fresh) expect((await lockedByCargo(manifestText)).lockText).toBe(lockText);
    return resolvedPackages(locked.stdout);
  }

  const cksum = (name: string, vers: string): string => sandbox.crates.get(name)!.find((v) => v.vers === vers)!.cksum;

  it('pins a direct dependency to =good in Cargo.toml and Cargo.lock, dropping the dropper; Cargo accepts it as its own', async () => {
    // `cargo add quick-parse` while 0.4.2 was the newest writes "0.4.2": a requirement only the bad release meets.
    const manifestText = manifest('quick-parse = "0.4.2" # added by cargo add\ntiny-helper = { version = "1" }\n');
    const { lockText, dir } = await lockedByCargo(manifestText);
    // Sanity: before the pin Cargo fetches the bad release and its dropper.
    const before = await cargo(dir, ['fetch', '--locked']);
    expect(before.status).toBe(0);
    expect(before.output).toContain('Downloaded quick-parse v0.4.2');
    expect(before.output).toContain('Downloaded proc-shim v0.1.0');

    const r = await pinCargoLockfile({
      lockText,
      manifestText,
      registry,
      affected: only('quick-parse', '0.4.2'),
      publishedBefore: WINDOW_START,
    });

    expect(r.problems).toEqual([]);
    expect(r.changes).toEqual([
      { package: 'proc-shim', from: '0.1.0', to: null, paths: ['Cargo.lock [[package]] proc-shim'] },
      {
        package: 'quick-parse',
        from: '0.4.2',
        to: '0.4.1',
        paths: ['Cargo.lock [[package]] quick-parse', 'Cargo.toml [dependencies] quick-parse'],
      },
    ]);
    expect(r.removed).toEqual(['proc-shim@0.1.0']);
    expect(r.added).toEqual([]);
    expect(r.manifestText).toBe(
      manifest('quick-parse = "=0.4.1" # added by cargo add\ntiny-helper = { version = "1" }\n'),
    );
    expect(r.lockText).toContain(
      `[[package]]\nname = "quick-parse"\nversion = "0.4.1"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "${cksum('quick-parse', '0.4.1')}"\ndependencies = [\n "tiny-helper",\n]\n`,
    );
    expect(r.lockText).not.toContain('proc-shim');

    expect(await expectCargoWritesTheSame(r.manifestText!, r.lockText)).toEqual([
      'app 0.1.0',
      'quick-parse 0.4.1',
      'tiny-helper 1.0.1',
    ]);
    // Cargo verifies the checksum the pin wrote against the `.crate` it downloads.
    const fetched = await readByCargo({ 'Cargo.toml': r.manifestText!, 'Cargo.lock': r.lockText }, sandbox.indexUrl, [
      'fetch',
      '--locked',
    ]);
    expect(fetched.status).toBe(0);
    expect(fetched.output).toContain('Downloaded quick-parse v0.4.1');
    expect(fetched.output).not.toContain('proc-shim');

    // The checks can fail: the old Cargo.toml asks for ^0.4.2, which the pinned lockfile does not hold …
    const old = await readByCargo({ 'Cargo.toml': manifestText, 'Cargo.lock': r.lockText }, sandbox.indexUrl);
    expect(old.status).not.toBe(0);
    expect(old.output).toContain('cannot update the lock file');
    // … the pinned Cargo.toml refuses the old lockfile …
    const stale = await readByCargo({ 'Cargo.toml': r.manifestText!, 'Cargo.lock': lockText }, sandbox.indexUrl);
    expect(stale.status).not.toBe(0);
    expect(stale.output).toContain('cannot update the lock file');
    // … and a checksum that is not the index's is refused.
    const tampered = r.lockText.replace(cksum('quick-parse', '0.4.1'), cksum('quick-parse', '0.4.0'));
    const wrong = await readByCargo({ 'Cargo.toml': r.manifestText!, 'Cargo.lock': tampered }, sandbox.indexUrl);
    expect(wrong.status).not.toBe(0);
    expect(wrong.output).toContain('checksum for `quick-parse v0.4.1` changed between lock files');
  });

  it('pins a transitive dependency in Cargo.lock only, and says that is all that holds it', async () => {
    const manifestText = manifest('app-kit = "2"\n');
    const { lockText } = await lockedByCargo(manifestText);
    expect(lockText).toContain('name = "quick-parse"\nversion = "0.4.2"');

    const r = await pinCargoLockfile({
      lockText,
      manifestText,
      registry,
      affected: only('quick-parse', '0.4.2'),
      publishedBefore: WINDOW_START,
    });

    expect(r.changes.map((c) => [c.package, c.from, c.to])).toEqual([
      ['proc-shim', '0.1.0', null],
      ['quick-parse', '0.4.2', '0.4.1'],
    ]);
    expect(r.manifestText).toBe(manifestText);
    expect(r.problems).toEqual([
      'quick-parse 0.4.2 → 0.4.1 is held by Cargo.lock only (required by app-kit 2.3.0): `cargo update` can move it back while the registry serves 0.4.2',
    ]);
    // No fresh-resolve comparison: with no pin in Cargo.toml, a fresh resolve picks 0.4.2 again (the problem above).
    expect(await expectCargoWritesTheSame(manifestText, r.lockText, false)).toEqual([
      'app 0.1.0',
      'app-kit 2.3.0',
      'quick-parse 0.4.1',
      'tiny-helper 1.0.1',
    ]);
  });

  it('skips a good version published inside the exposure window', async () => {
    const manifestText = manifest('win-x = "1"\n');
    const { lockText } = await lockedByCargo(manifestText);
    const pin = (publishedBefore?: string) =>
      pinCargoLockfile({
        lockText,
        manifestText,
        registry,
        affected: only('win-x', '1.0.2'),
        ...(publishedBefore ? { publishedBefore } : {}),
      });

    const r = await pin(WINDOW_START);
    expect(r.changes.map((c) => [c.package, c.from, c.to])).toEqual([
      ['proc-shim', '0.1.0', null],
      ['win-x', '1.0.2', '1.0.0'],
    ]);
    expect(await expectCargoWritesTheSame(r.manifestText!, r.lockText)).toEqual(['app 0.1.0', 'win-x 1.0.0']);
    // Without a window, 1.0.1 is the last good version.
    expect((await pin()).changes.find((c) => c.package === 'win-x')?.to).toBe('1.0.1');
  });

  it('leaves a crate whose every version is malicious to a person (MAL-2025-49350, replit_ruspty)', async () => {
    const lookup = new AdvisoryLookup(parseOsvJson('MAL-2025-49350.json', readFileSync(OSV, 'utf8')).advisories);
    const affected = (name: string, version: string) => lookup.affecting('crates.io', name, version).length > 0;
    const manifestText = manifest('replit_ruspty = "1"\ntiny-helper = "1"\n');
    const { lockText } = await lockedByCargo(manifestText);
    expect(findingsFor('Cargo.lock', PARSERS['cargo-lock']('Cargo.lock', lockText), lookup)).toHaveLength(1);

    const problem = 'replit_ruspty 1.0.0: no good version on the registry: remove the dependency by hand';
    const r = await pinCargoLockfile({ lockText, manifestText, registry, affected, publishedBefore: WINDOW_START });
    expect(r).toEqual({ lockText, manifestText, changes: [], added: [], removed: [], problems: [problem] });

    // crates.io deletes a malicious crate from its index: a crate the index no longer has has no good version either.
    const held = sandbox.crates.get('replit_ruspty')!;
    sandbox.crates.delete('replit_ruspty');
    try {
      const fresh = createCratesRegistry({ indexUrl: sandbox.indexUrl, apiUrl: sandbox.url });
      const gone = await pinCargoLockfile({ lockText, manifestText, registry: fresh, affected });
      expect(gone.problems).toEqual([problem]);
      expect(gone.lockText).toBe(lockText);
    } finally {
      sandbox.crates.set('replit_ruspty', held);
    }
  });

  it('keeps a version 3 lockfile at version 3, and leaves older formats to a person', async () => {
    const manifestText = manifest('quick-parse = "0.4"\n');
    const v3 = (await lockedByCargo(manifestText)).lockText.replace('\nversion = 4\n', '\nversion = 3\n');
    const r = await pinCargoLockfile({ lockText: v3, manifestText, registry, affected: only('quick-parse', '0.4.2') });
    expect(r.problems).toEqual([]);
    expect(r.lockText).toMatch(
      /^# This file is automatically @generated by Cargo\.\n# It is not intended for manual editing\.\nversion = 3\n\n\[\[package\]\]\n/,
    );
    // Cargo would write a lockfile it changes at version 4: an untouched file is one it serializes the same.
    expect(await expectCargoWritesTheSame(r.manifestText!, r.lockText, false)).toContain('quick-parse 0.4.1');
    // A looser old requirement ("0.4") admits the pinned lockfile too: Cargo keeps a locked version that still
    // matches. Only `=0.4.1` in Cargo.toml stops a later `cargo update` from going back to 0.4.2.
    const loose = await readByCargo({ 'Cargo.toml': manifestText, 'Cargo.lock': r.lockText }, sandbox.indexUrl);
    expect(loose.status).toBe(0);

    const v2 = v3.replace('version = 3\n\n', '');
    const old = await pinCargoLockfile({
      lockText: v2,
      manifestText,
      registry,
      affected: only('quick-parse', '0.4.2'),
    });
    expect(old.lockText).toBe(v2);
    expect(old.changes).toEqual([]);
    expect(old.problems).toEqual([
      'Cargo.lock has no `version = 3|4` line (an older format), which cordon does not rewrite: pin quick-parse 0.4.2 with `cargo update -p <name>@<version> --precise <good>`',
    ]);
  });

  it('names the line of an unreadable Cargo.lock or Cargo.toml', async () => {
    const broken =
      '# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n[[package]]\nname = "app"\nversion = "0.1.0\n';
    await expect(pinCargoLockfile({ lockText: broken, affected: () => true, registry })).rejects.toThrow(
      new PinInputError('lockfile', 'is not valid TOML: line 7: control characters are not allowed in strings'),
    );
    const lockText = '[[package]]\nname = "app"\nversion = "0.1.0"\n';
    await expect(
      pinCargoLockfile({ lockText, manifestText: '[dependencies]\nquick-parse =\n', affected: () => true, registry }),
    ).rejects.toThrow(new PinInputError('manifest', 'is not valid TOML: line 2: invalid value', 'Cargo.toml'));
    await expect(
      pinCargoLockfile({ lockText: `${lockText}dependencies = ["gone"]\n`, affected: () => false, registry }),
    ).rejects.toThrow(/is not a consistent Cargo.lock: app 0.1.0 depends on "gone", which names no \[\[package\]\]/);
  });

  it('names each version of a crate locked twice, and only the name once one of them goes', async () => {
    // Two versions of dual-a: references carry the version, sorted as text ("dual-a 10.0.0" before "dual-a 9.0.0").
    const manifestText = manifest('dual-b = "0.2"\ndual-a = "=9.0.0"\n');
    const { lockText } = await lockedByCargo(manifestText);
    expect(lockText).toContain('dependencies = [\n "dual-a 9.0.0",\n "dual-b",\n]');
    expect(lockText).toContain('dependencies = [\n "dual-a 10.0.0",\n]');
    const r = await pinCargoLockfile({ lockText, manifestText, registry, affected: only('dual-b', '0.2.1') });
    expect(r.changes.map((c) => [c.package, c.from, c.to])).toEqual([
      ['dual-a', '10.0.0', null],
      ['dual-b', '0.2.1', '0.2.0'],
    ]);
    expect(r.lockText).toContain('name = "app"\nversion = "0.1.0"\ndependencies = [\n "dual-a",\n "dual-b",\n]');
    expect(await expectCargoWritesTheSame(r.manifestText!, r.lockText)).toEqual([
      'app 0.1.0',
      'dual-a 9.0.0',
      'dual-b 0.2.0',
    ]);

    // Both stay when the project itself (renamed, target-specific) depends on the other: the versions stay named,
    // and the packages are in semver order (9 before 10).
    const both = `${manifestText}\n[target.'cfg(unix)'.dev-dependencies]\na10 = { package = "dual-a", version = "10" }\n`;
    const kept = await pinCargoLockfile({
      lockText: (await lockedByCargo(both)).lockText,
      manifestText: both,
      registry,
      affected: only('dual-b', '0.2.1'),
    });
    expect(kept.removed).toEqual([]);
    expect(kept.lockText).toContain(
      'dependencies = [\n "dual-a 10.0.0",\n "dual-a 9.0.0",\n "dual-b",\n]\n\n[[package]]\nname = "dual-a"\nversion = "9.0.0"',
    );
    expect(kept.lockText).toContain('name = "dual-b"\nversion = "0.2.0"');
    expect(kept.lockText).toContain('dependencies = [\n "dual-a 9.0.0",\n]');
    expect(await expectCargoWritesTheSame(kept.manifestText!, kept.lockText)).toEqual([
      'app 0.1.0',
      'dual-a 10.0.0',
      'dual-a 9.0.0',
      'dual-b 0.2.0',
    ]);
  });

  it('rewrites every declaration of the crate in place: renamed, target-specific, table and workspace-inherited', async () => {
    const manifestText = [
      '[package]',
      'name = "app"',
      'version = "0.1.0"',
      'edition = "2021"',
      'description = """',
      '[dependencies]',
      'quick-parse = "0.4"',
      '"""',
      '',
      '[dependencies]',
      'qp = { package = "quick-parse", version = "0.4.2", features = [] } # renamed',
      'tiny-helper.workspace = true',
      '',
      "[target.'cfg(unix)'.build-dependencies]",
      "qp = { package = 'quick-parse', version = '^0.4' }",
      '',
      '[dev-dependencies]',
      'qp = { workspace = true }',
      '',
      '[workspace]',
      '',
      '[workspace.dependencies]',
      'tiny-helper = "1"',
      '',
      '[workspace.dependencies.qp]',
      'package = "quick-parse"',
      'version    =   "0.4"   # for every member',
      '',
    ].join('\n');
    const { lockText } = await lockedByCargo(manifestText);
    const r = await pinCargoLockfile({ lockText, manifestText, registry, affected: only('quick-parse', '0.4.2') });

    expect(r.problems).toEqual([]);
    expect(r.changes.find((c) => c.package === 'quick-parse')?.paths).toEqual([
      'Cargo.lock [[package]] quick-parse',
      'Cargo.toml [dependencies] qp',
      'Cargo.toml [workspace.dependencies] qp',
      "Cargo.toml [target.'cfg(unix)'.build-dependencies] qp",
    ]);
    expect(r.manifestText).toBe(
      manifestText
        .replace('version = "0.4.2", features', 'version = "=0.4.1", features')
        .replace("version = '^0.4' }", 'version = "=0.4.1" }')
        .replace('version    =   "0.4"', 'version    =   "=0.4.1"'),
    );
    expect(await expectCargoWritesTheSame(r.manifestText!, r.lockText)).toContain('quick-parse 0.4.1');
  });

  it('leaves a good version that needs a crate Cargo.lock lacks to `cargo update --precise`', async () => {
    const manifestText = manifest('needy-x = "1"\n');
    const { lockText, dir } = await lockedByCargo(manifestText);
    const r = await pinCargoLockfile({ lockText, manifestText, registry, affected: only('needy-x', '1.0.1') });
    expect(r).toEqual({
      lockText,
      manifestText,
      changes: [],
      added: [],
      removed: [],
      problems: [
        'needy-x 1.0.1: its last good version 1.0.0 needs extra-x which Cargo.lock does not hold: run `cargo update -p needy-x --precise 1.0.0`',
      ],
    });
    // The command the problem names does it.
    writeFileSync(path.join(dir, 'Cargo.lock'), lockText);
    expect((await cargo(dir, ['update', '-p', 'needy-x', '--precise', '1.0.0'])).status).toBe(0);
    expect(readFileSync(path.join(dir, 'Cargo.lock'), 'utf8')).toContain('name = "extra-x"');
  });
});

describe('createCratesRegistry', () => {
  let sandbox: CratesRegistrySandbox;
  beforeAll(async () => {
    sandbox = await startCratesRegistrySandbox({
      crates: crateMap([
        { name: 'a', vers: '1.0.0', published: EARLY },
        { name: 'ab', vers: '1.0.0', published: EARLY },
        { name: 'abc', vers: '1.0.0', published: EARLY },
        { name: 'Mixed-Case', vers: '0.1.0', published: EARLY },
        { name: 'Mixed-Case', vers: '0.2.0', published: IN_WINDOW, yanked: true },
      ]),
    });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('reads the sparse index by crates.io prefix rules, with publish times from the web API, once per crate', async () => {
    const headers: Array<Record<string, string>> = [];
    const recording: typeof fetch = (input, init) => {
      headers.push(init?.headers as Record<string, string>);
      return fetch(input, init);
    };
    const client = createCratesRegistry({ indexUrl: sandbox.indexUrl, apiUrl: sandbox.url, fetch: recording });
    for (const name of ['a', 'ab', 'abc']) expect((await client.versions(name)).map((v) => v.vers)).toEqual(['1.0.0']);
    const mixed = await client.versions('Mixed-Case');
    expect(mixed.map((v) => [v.vers, v.yanked, v.created_at])).toEqual([
      ['0.1.0', false, EARLY],
      ['0.2.0', true, IN_WINDOW],
    ]);
    expect(mixed[0]!.cksum).toBe(sandbox.crates.get('Mixed-Case')![0]!.cksum);
    await client.versions('Mixed-Case');
    expect(sandbox.requests.filter((r) => r.startsWith('/index/'))).toEqual([
      '/index/1/a',
      '/index/2/ab',
      '/index/3/a/abc',
      '/index/mi/xe/mixed-case',
    ]);
    expect(sandbox.requests).toContain('/api/v1/crates/Mixed-Case/versions');
    // crates.io's crawler policy asks every client to name itself (https://crates.io/data-access).
    expect(headers.every((h) => h['user-agent'] === 'cordon (incident response)')).toBe(true);
  });

  it('keeps created_at undefined where the API has no entry, and fails a missing crate for good', async () => {
    const noApi: typeof fetch = (input, init) =>
      String(input).includes('/api/') ? Promise.resolve(new Response('{}', { status: 404 })) : fetch(input, init);
    const client = createCratesRegistry({ indexUrl: sandbox.indexUrl, apiUrl: sandbox.url, fetch: noApi });
    expect((await client.versions('abc'))[0]!.created_at).toBeUndefined();

    const missing = await createCratesRegistry({ indexUrl: sandbox.indexUrl, apiUrl: sandbox.url })
      .versions('no-such-crate')
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApplicationFailure);
    expect(missing).toMatchObject({ type: 'CRATE_NOT_FOUND', nonRetryable: true });

    // Any other registry error is retried by the activity: a plain error, and not cached.
    let calls = 0;
    const flaky: typeof fetch = (input, init) =>
      calls++ === 0 ? Promise.resolve(new Response('', { status: 503 })) : fetch(input, init);
    const retried = createCratesRegistry({ indexUrl: sandbox.indexUrl, apiUrl: sandbox.url, fetch: flaky });
    await expect(retried.versions('ab')).rejects.toThrow(/answered 503/);
    expect((await retried.versions('ab')).map((v) => v.vers)).toEqual(['1.0.0']);
  });
});
