import { LineCounter, lineAndColumn } from '../../../../domain/text/line-index';
import { parsePackageLock } from '../../../../lockfiles/npm/package-lock.read';

/** A minified (one-line) lockfileVersion 3 package-lock with `count` packages, about 100 bytes each. */
function minifiedLock(count: number): string {
  const packages: Record<string, unknown> = { '': { name: 'app', dependencies: { 'pkg-0': '1.0.0' } } };
  for (let i = 0; i < count; i++) {
    packages[`node_modules/pkg-${i}`] = {
      version: '1.0.0',
      resolved: `https://registry.npmjs.org/pkg-${i}/-/pkg-${i}-1.0.0.tgz`,
    };
  }
  return JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages });
}

describe('LineCounter', () => {
  it('gives the 1-based line of any offset, asked in any order', () => {
    const text = 'a\nbc\n\nd';
    const lines = new LineCounter(text);
    expect([7, 0, 1, 2, 4, 5, 6, 3].map((o) => lines.lineAt(o))).toEqual([4, 1, 1, 2, 2, 3, 4, 2]);
  });

  it('agrees with lineAndColumn on every offset of a CRLF text', () => {
    const text = 'x\r\n\r\nyz\r\nw';
    const lines = new LineCounter(text);
    for (let o = 0; o <= text.length; o++) expect(lines.lineAt(o)).toBe(lineAndColumn(text, o).line);
  });

  // The lookup used to search forward for the next newline on every call: on a one-line text each search ran to the
  // end, so a 20 MB minified package-lock took 27 s. Newline offsets computed once make it linear (about 2 s here);
  // the 15 s timeout only makes the quadratic version fail rather than crawl (throughput is `npm run bench -- scan`).
  it('locates every package of a 20 MB one-line package-lock', () => {
    const text = minifiedLock(200_000);
    expect(text.length).toBeGreaterThan(20_000_000);
    expect(text.includes('\n')).toBe(false);
    const result = parsePackageLock('package-lock.json', text);
    expect('packages' in result && result.packages.length).toBe(200_000);
    expect('packages' in result && result.packages.every((p) => p.line === 1)).toBe(true);
  }, 15_000);
});
