import { parsePipfileLock, parsePoetryLock, parseUvLock } from '../../../../lockfiles';

describe('parsePoetryLock', () => {
  it('reads [[package]] tables with the line of their name and git commits', () => {
    const text = [
      '[[package]]',
      'name = "num2words"',
      'version = "0.5.15"',
      '',
      '[[package]]',
      'name = "ike"',
      'version = "0.2.0"',
      '',
      '[package.source]',
      'type = "git"',
      'url = "https://github.com/dzshn/ike"',
      'resolved_reference = "cd66602cd29f61a2d2e7fb995fef1e61708c034d"',
    ].join('\n');
    expect(parsePoetryLock('poetry.lock', text)).toEqual({
      packages: [
        { ecosystem: 'PyPI', name: 'num2words', version: '0.5.15', line: 2 },
        {
          ecosystem: 'PyPI',
          name: 'ike',
          version: '0.2.0',
          line: 6,
          commit: 'cd66602cd29f61a2d2e7fb995fef1e61708c034d',
        },
      ],
      requirements: [],
      problems: [],
    });
  });

  it('reports invalid TOML with its line', () => {
    const out = parsePoetryLock('poetry.lock', '[[package]]\nname = "x"\nversion = \n');
    expect(out.problems[0]?.line).toBe(3);
    expect(out.problems[0]?.message).toMatch(/^not valid TOML at column \d+: /);
  });
});

describe('parseUvLock', () => {
  it('treats workspace members as roots: their dependencies are direct, the rest transitive with paths', () => {
    const text = [
      'version = 1',
      '',
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      'source = { virtual = "." }',
      'dependencies = [{ name = "requests" }]',
      '',
      '[package.optional-dependencies]',
      'words = [{ name = "num2words" }]',
      '',
      '[[package]]',
      'name = "requests"',
      'version = "2.32.3"',
      'source = { registry = "https://pypi.org/simple" }',
      'dependencies = [{ name = "urllib3" }]',
      '',
      '[[package]]',
      'name = "urllib3"',
      'version = "2.2.3"',
      'source = { registry = "https://pypi.org/simple" }',
      '',
      '[[package]]',
      'name = "num2words"',
      'version = "0.5.16"',
      'source = { registry = "https://pypi.org/simple" }',
    ].join('\n');
    expect(parseUvLock('uv.lock', text).packages).toEqual([
      { ecosystem: 'PyPI', name: 'requests', version: '2.32.3', line: 13, direct: true, path: ['requests@2.32.3'] },
      {
        ecosystem: 'PyPI',
        name: 'urllib3',
        version: '2.2.3',
        line: 19,
        direct: false,
        path: ['requests@2.32.3', 'urllib3@2.2.3'],
      },
      { ecosystem: 'PyPI', name: 'num2words', version: '0.5.16', line: 24, direct: true, path: ['num2words@0.5.16'] },
    ]);
  });
});

describe('parsePipfileLock', () => {
  it('reads default and develop sections, stripping == from versions', () => {
    const text = JSON.stringify(
      {
        _meta: { hash: { sha256: 'x' } },
        default: { num2words: { version: '==0.5.15', hashes: [] } },
        develop: {
          pytest: { version: '==8.3.3' },
          ike: { git: 'https://github.com/dzshn/ike', ref: 'cd66602cd29f61a2d2e7fb995fef1e61708c034d' },
        },
      },
      null,
      4,
    );
    expect(parsePipfileLock('Pipfile.lock', text).packages).toEqual([
      { ecosystem: 'PyPI', name: 'num2words', version: '0.5.15', line: 8 },
      { ecosystem: 'PyPI', name: 'pytest', version: '8.3.3', line: 14 },
      { ecosystem: 'PyPI', name: 'ike', version: '', line: 17, commit: 'cd66602cd29f61a2d2e7fb995fef1e61708c034d' },
    ]);
  });

  it('refuses JSON that is not a Pipfile.lock', () => {
    expect(parsePipfileLock('Pipfile.lock', '{"name": "x"}').problems).toEqual([
      { line: 1, message: 'expected a JSON object with "default" and/or "develop" sections' },
    ]);
  });
});
