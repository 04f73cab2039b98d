import {
  AdvisoryLookup,
  affectedVersionAdmitted,
  versionAffected,
  type AffectedPackage,
} from '../../../../domain/advisory';

const npm = (over: Partial<AffectedPackage>): AffectedPackage => ({
  ecosystem: 'npm',
  name: 'x',
  versions: [],
  ranges: [],
  ...over,
});

// Range semantics: https://ossf.github.io/osv-schema/#evaluation
describe('versionAffected', () => {
  it('matches listed versions only', () => {
    const a = npm({ versions: ['0.30.4', '1.14.1'] });
    expect(versionAffected(a, '1.14.1')).toBe(true);
    expect(versionAffected(a, '1.14.0')).toBe(false);
  });

  it('treats introduced "0" as every version', () => {
    const a = npm({ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] });
    expect(versionAffected(a, '0.0.1')).toBe(true);
    expect(versionAffected(a, '99.0.0')).toBe(true);
  });

  it('stops at fixed (exclusive) and after last_affected (inclusive)', () => {
    const fixed = npm({ ranges: [{ type: 'SEMVER', events: [{ introduced: '4.1.1' }, { fixed: '4.1.3' }] }] });
    expect(versionAffected(fixed, '4.1.0')).toBe(false);
    expect(versionAffected(fixed, '4.1.1')).toBe(true);
    expect(versionAffected(fixed, '4.1.2')).toBe(true);
    expect(versionAffected(fixed, '4.1.3')).toBe(false);
    const last = npm({
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '4.1.1' }, { last_affected: '4.1.2' }] }],
    });
    expect(versionAffected(last, '4.1.2')).toBe(true);
    expect(versionAffected(last, '4.1.3')).toBe(false);
  });

  it('sorts events before walking them, so several intervals in one range work', () => {
    const a = npm({
      ranges: [
        {
          type: 'SEMVER',
          events: [{ fixed: '2.5.0' }, { introduced: '2.0.0' }, { fixed: '1.5.0' }, { introduced: '1.0.0' }],
        },
      ],
    });
    expect(['0.9.0', '1.2.0', '1.7.0', '2.1.0', '3.0.0'].map((v) => versionAffected(a, v))).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('uses PEP 440 for PyPI ECOSYSTEM ranges and listed versions', () => {
    const a: AffectedPackage = {
      ecosystem: 'PyPI',
      name: 'num2words',
      versions: ['0.5.15'],
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0rc1' }, { fixed: '1.0.post1' }] }],
    };
    expect(versionAffected(a, '0.5.15.0')).toBe(true);
    expect(versionAffected(a, '1.0')).toBe(true);
    expect(versionAffected(a, '1.0.post1')).toBe(false);
    expect(versionAffected(a, '0.9')).toBe(false);
  });

  it('never matches an unorderable version against a range, nor a GIT range at all', () => {
    const a = npm({
      ranges: [
        { type: 'SEMVER', events: [{ introduced: '0' }] },
        { type: 'GIT', events: [{ introduced: 'abc' }] },
      ],
    });
    expect(versionAffected(a, '')).toBe(false);
    expect(versionAffected(a, 'git+ssh://git@github.com/x/y.git#abc')).toBe(false);
  });

  it('skips a range whose events cannot be ordered rather than widening it', () => {
    const a = npm({ ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: 'not-a-version' }] }] });
    expect(versionAffected(a, '1.5.0')).toBe(false);
  });
});

describe('affectedVersionAdmitted (requirements that could resolve to an affected version)', () => {
  const num2words: AffectedPackage = {
    ecosystem: 'PyPI',
    name: 'num2words',
    versions: ['0.5.15', '0.5.16'],
    ranges: [],
  };

  it('finds a listed version the specifier admits', () => {
    expect(affectedVersionAdmitted(num2words, '>=0.5.10')).toBe('0.5.15');
    expect(affectedVersionAdmitted(num2words, '')).toBe('0.5.15');
    expect(affectedVersionAdmitted(num2words, '~=0.5.16')).toBe('0.5.16');
  });

  it('finds nothing when the specifier excludes every affected version', () => {
    expect(affectedVersionAdmitted(num2words, '<0.5.15')).toBeUndefined();
    expect(affectedVersionAdmitted(num2words, '!=0.5.15, !=0.5.16')).toBeUndefined();
  });

  it("finds an overlap with a range through the specifier's own bounds", () => {
    const a: AffectedPackage = {
      ecosystem: 'PyPI',
      name: 'p',
      versions: [],
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.5' }] }],
    };
    expect(affectedVersionAdmitted(a, '>=1.2,<1.3')).toBe('1.2');
    expect(affectedVersionAdmitted(a, '>=1.5')).toBeUndefined();
  });
});

describe('AdvisoryLookup', () => {
  const lookup = new AdvisoryLookup([
    {
      id: 'A',
      aliases: [],
      source: 'a',
      affected: [{ ecosystem: 'PyPI', name: 'Num2Words', versions: ['0.5.15'], ranges: [] }],
    },
    {
      id: 'B',
      aliases: [],
      source: 'b',
      affected: [{ ecosystem: 'crates.io', name: 'replit-ruspty', versions: ['1.0.0'], ranges: [] }],
    },
    {
      id: 'C',
      aliases: [],
      source: 'c',
      affected: [{ ecosystem: 'npm', name: 'Axios', versions: ['1.14.1'], ranges: [] }],
    },
  ]);

  it('compares PyPI names after PEP 503 normalization and crates.io names case- and dash-insensitively', () => {
    expect(lookup.affecting('PyPI', 'num2words', '0.5.15').map((h) => h.advisory.id)).toEqual(['A']);
    expect(lookup.affecting('crates.io', 'replit_ruspty', '1.0.0').map((h) => h.advisory.id)).toEqual(['B']);
  });

  it('compares npm names exactly and keeps ecosystems apart', () => {
    expect(lookup.affecting('npm', 'axios', '1.14.1')).toEqual([]);
    expect(lookup.affecting('npm', 'num2words', '0.5.15')).toEqual([]);
  });
});
