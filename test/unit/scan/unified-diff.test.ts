// The diff `cordon pin` prints: the unified format of `diff -u` (GNU diffutils, "Detailed Unified"), which
// `git apply` and `patch -p1` take.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unifiedDiff } from '../../../scan/unified-diff';

/** Applies `diff` with git to a file holding `before`, and returns what git wrote. */
function gitApply(before: string, diff: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-diff-'));
  writeFileSync(path.join(dir, 'f.txt'), before);
  writeFileSync(path.join(dir, 'p.diff'), diff);
  const r = spawnSync('git', ['apply', 'p.diff'], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return readFileSync(path.join(dir, 'f.txt'), 'utf8');
}

/** A small deterministic generator, so a failure names the case that broke. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('unifiedDiff', () => {
  it('prints nothing for equal texts', () => {
    expect(unifiedDiff('f.txt', 'a\nb\n', 'a\nb\n')).toBe('');
  });

  it('prints hunks with three lines of context, as diff -u does', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'].join('\n') + '\n';
    const after = before.replace('2\n', 'two\n').replace('11\n', '');
    expect(unifiedDiff('f.txt', before, after)).toBe(
      '--- a/f.txt\n+++ b/f.txt\n' +
        '@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n' +
        '@@ -8,5 +8,4 @@\n 8\n 9\n 10\n-11\n 12\n',
    );
  });

  it('marks a last line without a newline', () => {
    expect(unifiedDiff('f.txt', 'a\nb', 'a\nb\n')).toBe(
      '--- a/f.txt\n+++ b/f.txt\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
    );
  });

  it('turns any text into any other, as git applies it', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const r = random(seed);
      const a = Array.from({ length: Math.floor(r() * 40) }, () => String(Math.floor(r() * 6)));
      const b = a.filter(() => r() > 0.2).flatMap((l) => (r() > 0.85 ? [l, `x${Math.floor(r() * 3)}`] : [l]));
      const before = a.join('\n') + (a.length > 0 && r() > 0.3 ? '\n' : '');
      const after = b.join('\n') + (b.length > 0 && r() > 0.3 ? '\n' : '');
      if (before === after) continue;
      expect([seed, gitApply(before, unifiedDiff('f.txt', before, after))]).toEqual([seed, after]);
    }
  });

  it('diffs a long lockfile with a few changes quickly', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `    "line-${i}": "${i}",`);
    const before = `${lines.join('\n')}\n`;
    const after = before.replace('"line-100": "100"', '"line-100": "101"').replace('"line-40000": "40000",\n', '');
    const started = Date.now();
    const diff = unifiedDiff('f.txt', before, after);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(gitApply(before, diff)).toBe(after);
  });

  it('still gives a correct diff when nearly every line changed (removed, then added)', () => {
    const before = `${Array.from({ length: 3000 }, (_, i) => `old ${i}`).join('\n')}\n`;
    const after = `${Array.from({ length: 3000 }, (_, i) => `new ${i}`).join('\n')}\n`;
    const diff = unifiedDiff('f.txt', before, after);
    expect(diff.startsWith('--- a/f.txt\n+++ b/f.txt\n@@ -1,3000 +1,3000 @@\n-old 0\n')).toBe(true);
    expect(gitApply(before, diff)).toBe(after);
  });
});
