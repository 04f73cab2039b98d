import { parseCargoLock } from '../../../../lockfiles';

describe('parseCargoLock', () => {
  const text = [
    'version = 3',
    '',
    '[[package]]',
    'name = "my-app"',
    'version = "0.1.0"',
    'dependencies = [',
    ' "replit_ruspty",',
    ' "syn 2.0.15",',
    ']',
    '',
    '[[package]]',
    'name = "replit_ruspty"',
    'version = "1.0.0"',
    'source = "registry+https://github.com/rust-lang/crates.io-index"',
    'dependencies = [',
    ' "syn 1.0.109",',
    ']',
    '',
    '[[package]]',
    'name = "syn"',
    'version = "1.0.109"',
    'source = "registry+https://github.com/rust-lang/crates.io-index"',
    '',
    '[[package]]',
    'name = "syn"',
    'version = "2.0.15"',
    'source = "registry+https://github.com/rust-lang/crates.io-index"',
    '',
    '[[package]]',
    'name = "wasi"',
    'version = "0.10.2+wasi-snapshot-preview1"',
    'source = "git+https://github.com/bytecodealliance/wasi?rev=abc#0123456789abcdef0123456789abcdef01234567"',
  ].join('\n');

  it('skips workspace crates and uses them as roots; resolves "name version" dependencies', () => {
    expect(
      parseCargoLock('Cargo.lock', text).packages.map((p) => [p.name, p.version, p.line, p.direct, p.path]),
    ).toEqual([
      ['replit_ruspty', '1.0.0', 12, true, ['replit_ruspty@1.0.0']],
      ['syn', '1.0.109', 20, false, ['replit_ruspty@1.0.0', 'syn@1.0.109']],
      ['syn', '2.0.15', 25, true, ['syn@2.0.15']],
      ['wasi', '0.10.2+wasi-snapshot-preview1', 30, false, undefined],
    ]);
  });

  it('keeps build metadata in the version and records git commits', () => {
    const wasi = parseCargoLock('Cargo.lock', text).packages.find((p) => p.name === 'wasi');
    expect(wasi).toMatchObject({
      version: '0.10.2+wasi-snapshot-preview1',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  it('reports a package table without a version', () => {
    const out = parseCargoLock('Cargo.lock', '[[package]]\nname = "x"\nsource = "registry+x"\n');
    expect(out.problems).toEqual([{ line: 2, message: '[[package]] #1 lacks a name or version string' }]);
  });
});
