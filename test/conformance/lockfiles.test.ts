// Runs every lockfile fixture of google/osv-scalibr (copied to ../shared/data/lockfiles) through cordon's parsers and
// compares with the packages osv-scalibr's own tests expect (osv-scalibr-expected.json, transcribed from the Go test
// tables). Compared: name, version, the git commit, and the line where the test pins one.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import {
  parseCargoLock,
  parsePackageLock,
  parsePnpmLock,
  parsePoetryLock,
  parseRequirementsTxt,
  parseYarnLock,
  type LockfileParser,
} from '../../lockfiles';
import { pypiSpecifierVersions } from '../../domain/versions';

const shared = path.resolve(__dirname, '../../../shared');
const dataDir = path.join(shared, 'data/lockfiles');

interface ExpectedPackage {
  name: string;
  version?: string;
  line: number | null;
  commit?: string;
}

interface ExpectedCase {
  test_file?: string;
  expected_packages?: ExpectedPackage[];
  expected_error_contains?: string[];
  note?: string;
}

/** Which parser reads each osv-scalibr extractor's fixtures. */
const parserFor: Record<string, LockfileParser> = {
  'javascript/packagelockjson': parsePackageLock,
  'javascript/pnpmlock': parsePnpmLock,
  'javascript/yarnlock': parseYarnLock,
  'python/poetrylock': parsePoetryLock,
  'python/requirements': parseRequirementsTxt,
  'rust/cargolock': parseCargoLock,
};

function actualKeys(parser: LockfileParser, file: string, text: string, withLines: boolean): string[] {
  const result = parser(file, text);
  const keys = result.packages.map(
    (p) => `${p.name}@${p.version}${p.commit ? `#${p.commit}` : ''}${withLines ? `:${p.line}` : ''}`,
  );
  // osv-scalibr reports an unpinned requirement (`keyring >= 4.1.1`) with the version its single clause names;
  // cordon keeps the specifier (it is a "could resolve" requirement, not an install), so compare that clause.
  for (const r of result.requirements) {
    const clauses = pypiSpecifierVersions(r.specifier);
    const named = clauses.length === 1 && !/[!*,]/.test(r.specifier) ? clauses[0] : '';
    keys.push(`${r.name}@${named}${withLines ? `:${r.line}` : ''}`);
  }
  // osv-scalibr reports each name@version (and commit) once per file, also for nested duplicate installs.
  return [...new Set(keys)].sort();
}

function expectedKeys(packages: ExpectedPackage[], withLines: boolean): string[] {
  const keys = packages.map(
    (p) => `${p.name}@${p.version ?? ''}${p.commit ? `#${p.commit}` : ''}${withLines ? `:${p.line}` : ''}`,
  );
  return [...new Set(keys)].sort();
}

if (!existsSync(dataDir)) {
  describe('lockfile conformance (skipped: ../shared/data/lockfiles is absent; CI always has it)', () => {
    it('has no fixtures to run here', () => {
      expect(existsSync(dataDir)).toBe(false);
    });
  });
} else {
  const expected = JSON.parse(readFileSync(path.join(dataDir, 'osv-scalibr-expected.json'), 'utf8')) as {
    fixtures: Record<string, ExpectedCase[]>;
  };
  const fixtures = Object.entries(expected.fixtures);

  describe('lockfile conformance against osv-scalibr fixtures', () => {
    it('covers all 56 fixtures', () => {
      expect(fixtures).toHaveLength(56);
    });

    for (const [fixture, cases] of fixtures) {
      const extractor = fixture.split('/testdata/')[0] as string;
      const parser = parserFor[extractor];
      const file = path.join(dataDir, 'osv-scalibr', fixture);
      cases.forEach((c, index) => {
        const title = `${fixture} (${c.test_file?.split('/').pop() ?? 'no test file'}${cases.length > 1 ? ` #${index + 1}` : ''})`;
        it(title, () => {
          expect(parser).toBeDefined();
          if (!parser) return;
          const text = readFileSync(file, 'utf8');
          if (c.expected_error_contains) {
            // osv-scalibr says "could not extract"; cordon names the line and what it expected instead.
            const result = parser(file, text);
            expect(result.packages).toEqual([]);
            expect(result.problems).toHaveLength(1);
            expect(result.problems[0]?.line).toBe(1);
            expect(result.problems[0]?.message).toMatch(/expected/);
            return;
          }
          const packages = c.expected_packages ?? [];
          const withLines = packages.length > 0 && packages.every((p) => p.line !== null);
          const result = parser(file, text);
          expect(result.problems).toEqual([]);
          expect(actualKeys(parser, file, text, withLines)).toEqual(expectedKeys(packages, withLines));
        });
      });
    }
  });
}
