import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

import { readSimpleYaml } from '../../../../lockfiles/text/simple-yaml';

/** The full parser's value with scalars as strings, which is all the fast reader promises. */
function stringly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stringly);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stringly(v)]));
  }
  return value === null ? null : String(value);
}

const pnpmFixtures = path.resolve(
  __dirname,
  '../../../../../shared/data/lockfiles/osv-scalibr/javascript/pnpmlock/testdata',
);
const files = [
  path.resolve(__dirname, '../../../fixtures/lockfiles/incident-pnpm-v9/pnpm-lock.yaml'),
  ...(existsSync(pnpmFixtures) ? readdirSync(pnpmFixtures).map((f) => path.join(pnpmFixtures, f)) : []),
];

describe('readSimpleYaml', () => {
  it.each(files.map((f) => [path.basename(f), f]))('reads %s exactly as the full YAML parser does', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(readSimpleYaml(text)).toEqual(stringly(parse(text)));
  });

  it('reads quoted keys, flow collections, block sequences and empty values', () => {
    const text =
      "a:\n  'x@1(y@2)':\n    os: [darwin, 'linux']\n    cpu:\n      - x64\n    res: {integrity: 'sha512-a', tarball: b}\n  e:\nz: \"q\\\"\"\n";
    expect(readSimpleYaml(text)).toEqual({
      a: {
        'x@1(y@2)': { os: ['darwin', 'linux'], cpu: ['x64'], res: { integrity: 'sha512-a', tarball: 'b' } },
        e: null,
      },
      z: 'q"',
    });
  });

  it.each([
    ['an anchor', 'a: &x 1\nb: *x\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line flow mapping', 'a: {b: 1,\n  c: 2}\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['a tab', 'a:\n\tb: 1\n'],
  ])('gives up on %s, leaving it to the full parser', (_what, text) => {
    expect(readSimpleYaml(text)).toBeUndefined();
  });
});
