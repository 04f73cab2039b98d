import { cargoVersions, npmVersions, pypiSatisfies, pypiVersions, versionSchemeFor } from '../../../../domain/versions';

describe('version schemes', () => {
  it('orders npm versions by SemVer 2.0, prereleases before releases', () => {
    expect(npmVersions.compare('1.14.1', '1.14.0')).toBeGreaterThan(0);
    expect(npmVersions.compare('1.0.0-alpha.37', '1.0.0')).toBeLessThan(0);
    expect(npmVersions.valid('git+ssh://git@github.com/a/b.git')).toBe(false);
    expect(npmVersions.valid('')).toBe(false);
  });

  it('treats PEP 440 spellings of one version as equal (https://peps.python.org/pep-0440/#normalization)', () => {
    expect(pypiVersions.compare('1.0', '1.0.0')).toBe(0);
    expect(pypiVersions.compare('2.9.0.post0', '2.9.0')).toBeGreaterThan(0);
    expect(pypiVersions.compare('1.0rc1', '1.0')).toBeLessThan(0);
    expect(pypiVersions.valid('not a version')).toBe(false);
  });

  it('evaluates PEP 440 specifier sets, including prereleases and the empty set', () => {
    expect(pypiSatisfies('2.8.5', '>=2.8.1, ==2.8.*')).toBe(true);
    expect(pypiSatisfies('2.9.0', '>=2.8.1, ==2.8.*')).toBe(false);
    expect(pypiSatisfies('0.5.15', '')).toBe(true);
    expect(pypiSatisfies('1.0rc1', '>=0.9')).toBe(true);
  });

  it('ignores Cargo build metadata when ordering (https://semver.org/#spec-item-10)', () => {
    expect(cargoVersions.compare('0.10.2+wasi-snapshot-preview1', '0.10.2')).toBe(0);
    expect(cargoVersions.compare('1.0.109', '1.0.73')).toBeGreaterThan(0);
    expect(cargoVersions.valid('v1.0.0')).toBe(false);
  });

  it('knows the three lockfile ecosystems by their OSV names and nothing else', () => {
    expect(versionSchemeFor('npm')).toBe(npmVersions);
    expect(versionSchemeFor('PyPI')).toBe(pypiVersions);
    expect(versionSchemeFor('crates.io')).toBe(cargoVersions);
    expect(versionSchemeFor('GitHub Actions')).toBeUndefined();
  });
});
