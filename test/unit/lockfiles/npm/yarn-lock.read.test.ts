import { readFileSync } from 'node:fs';
import path from 'node:path';

import { parseYarnLock } from '../../../../lockfiles';

const berryFixture = path.resolve(__dirname, '../../../fixtures/lockfiles/incident-yarn-berry/yarn.lock');

describe('parseYarnLock', () => {
  it('reads berry entries: aliases by their resolution, workspace dependencies as direct, dependency paths', () => {
    const { packages, problems } = parseYarnLock('yarn.lock', readFileSync(berryFixture, 'utf8'));
    expect(problems).toEqual([]);
    const summary = packages.map((p) => [p.name, p.version, p.direct, p.path?.join(' > ')]);
    expect(summary).toContainEqual(['axios', '1.14.1', true, 'axios@1.14.1']);
    expect(summary).toContainEqual(['axios', '0.30.4', false, 'legacy-sdk@2.0.0 > axios@0.30.4']);
    expect(summary).toContainEqual(['plain-crypto-js', '4.2.1', false, 'axios@1.14.1 > plain-crypto-js@4.2.1']);
    expect(packages.some((p) => p.name === 'incident-app')).toBe(false);
  });

  it('reads classic v1 entries with multiple descriptors and npm: aliases, leaving directness unknown', () => {
    const text = [
      '# yarn lockfile v1',
      '',
      '"left-pad-alias@npm:left-pad@^1.3.0":',
      '  version "1.3.0"',
      '  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#5b8a3a7765dfe001261dde915589e782f8c94d1e"',
      '',
      'debug@^4.3.1, "debug@^4.4.0":',
      '  version "4.4.2"',
      '  dependencies:',
      '    ms "^2.1.3"',
      '',
    ].join('\n');
    expect(parseYarnLock('yarn.lock', text)).toEqual({
      packages: [
        // The `.tgz#sha1` suffix is the tarball hash, not a git commit.
        { ecosystem: 'npm', name: 'left-pad', version: '1.3.0', line: 3 },
        { ecosystem: 'npm', name: 'debug', version: '4.4.2', line: 7 },
      ],
      requirements: [],
      problems: [],
    });
  });

  it('skips patch and workspace entries in berry', () => {
    const text = [
      '__metadata:',
      '  version: 8',
      '',
      '"resolve@patch:resolve@npm%3A^1.22.0#optional!builtin<compat/resolve>":',
      '  version: 1.22.8',
      '  resolution: "resolve@patch:resolve@npm%3A1.22.8#optional!builtin<compat/resolve>::version=1.22.8&hash=c3c19d"',
      '',
      '"resolve@npm:^1.22.0":',
      '  version: 1.22.8',
      '  resolution: "resolve@npm:1.22.8"',
    ].join('\n');
    expect(parseYarnLock('yarn.lock', text).packages.map((p) => [p.name, p.version, p.line])).toEqual([
      ['resolve', '1.22.8', 8],
    ]);
  });

  it('reports the first line that fits neither syntax, keeping the entries before it', () => {
    const text = 'a@^1:\n  version "1.0.0"\nthis is not an entry\nb@^2:\n  version "2.0.0"\n';
    const out = parseYarnLock('yarn.lock', text);
    expect(out.packages.map((p) => p.name)).toEqual(['a']);
    expect(out.problems).toEqual([{ line: 3, message: "expected an entry header ending in ':'" }]);
  });

  it('reports an entry without a version', () => {
    expect(parseYarnLock('yarn.lock', 'a@^1:\n  resolved "x"\n').problems).toEqual([
      { line: 1, message: 'entry "a@^1" has no version' },
    ]);
  });
});
