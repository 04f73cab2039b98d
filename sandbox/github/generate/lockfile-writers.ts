import { createHash } from 'node:crypto';
import { crateVersion } from '../../crates-registry/crate';
import { tarballDigests } from '../../npm-registry/tarball';

/** A package to write into a lockfile: its exact version and the ranges it depends on. */
export interface LockPackage {
  name: string;
  version: string;
  /** name → range, resolved against the other packages of the same lockfile. */
  dependencies?: Record<string, string>;
}

/** The lockfile formats the generator writes. */
export type GeneratedFormat =
  'package-lock' | 'pnpm-lock' | 'yarn-lock' | 'requirements-txt' | 'poetry-lock' | 'cargo-lock';

/** Real integrity hashes where the advisory publishes them (OSV MAL-2026-5979 for the dropper). */
const KNOWN_INTEGRITY: Record<string, string> = {
  'easy-day-js@1.11.22':
    'sha512-JkJVZNSsFBmlAXKECNErDjK+swkGYMuEnCW1wLYlHMl3Mfx16725kJ99f3261B0Bk7gJIGEZZZ+4TPAXUkTmcw==',
};

/**
 * The integrity the generator writes for a package version: the real one where the advisory publishes it, else the
 * digest of the tarball the sandbox npm registry serves for it, so installs from the sandbox registry verify.
 */
export function integrity(p: LockPackage): string {
  return KNOWN_INTEGRITY[`${p.name}@${p.version}`] ?? tarballDigests(p).integrity;
}

/** A package version's tarball URL in a registry, as npm writes `resolved`. */
export function tarball(registry: string, p: LockPackage): string {
  const base = p.name.replace(/^@[^/]+\//, '');
  return `${registry}/${p.name}/-/${base}-${p.version}.tgz`;
}

/** npm `package-lock.json`, lockfileVersion 3 (npm 7+). `direct` maps root dependencies to their ranges. */
export function writePackageLock(project: string, direct: Record<string, string>, pkgs: LockPackage[]): string {
  const packages: Record<string, unknown> = { '': { name: project, version: '1.0.0', dependencies: direct } };
  for (const p of pkgs) {
    packages[`node_modules/${p.name}`] = {
      version: p.version,
      resolved: tarball('https://registry.npmjs.org', p),
      integrity: integrity(p),
      ...(p.dependencies && Object.keys(p.dependencies).length > 0 ? { dependencies: p.dependencies } : {}),
    };
  }
  return `${JSON.stringify({ name: project, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

function yamlKey(s: string): string {
  return /^[A-Za-z0-9._-][^:@]*$/.test(s) && !s.startsWith('@') ? s : `'${s}'`;
}

/** pnpm `pnpm-lock.yaml`, lockfileVersion '9.0' (pnpm 9). */
export function writePnpmLock(direct: Record<string, string>, pkgs: LockPackage[]): string {
  const byName = new Map(pkgs.map((p) => [p.name, p]));
  const lines = [
    "lockfileVersion: '9.0'",
    '',
    'settings:',
    '  autoInstallPeers: true',
    '  excludeLinksFromLockfile: false',
    '',
    'importers:',
    '',
    '  .:',
    '    dependencies:',
  ];
  for (const [name, range] of Object.entries(direct)) {
    lines.push(
      `      ${yamlKey(name)}:`,
      `        specifier: ${range}`,
      `        version: ${byName.get(name)?.version ?? ''}`,
    );
  }
  lines.push('', 'packages:', '');
  for (const p of pkgs)
    lines.push(`  ${yamlKey(`${p.name}@${p.version}`)}:`, `    resolution: {integrity: ${integrity(p)}}`, '');
  lines.push('snapshots:', '');
  for (const p of pkgs) {
    const deps = Object.keys(p.dependencies ?? {});
    if (deps.length === 0) {
      lines.push(`  ${yamlKey(`${p.name}@${p.version}`)}: {}`, '');
      continue;
    }
    lines.push(`  ${yamlKey(`${p.name}@${p.version}`)}:`, '    dependencies:');
    for (const d of deps) lines.push(`      ${yamlKey(d)}: ${byName.get(d)?.version ?? ''}`);
    lines.push('');
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

/** Yarn classic `yarn.lock` (lockfile v1): one entry per package, keyed by every range that resolved to it. */
export function writeYarnLock(direct: Record<string, string>, pkgs: LockPackage[]): string {
  const ranges = new Map<string, Set<string>>();
  const want = (name: string, range: string): void => {
    const set = ranges.get(name) ?? new Set<string>();
    set.add(range);
    ranges.set(name, set);
  };
  for (const [name, range] of Object.entries(direct)) want(name, range);
  for (const p of pkgs) for (const [name, range] of Object.entries(p.dependencies ?? {})) want(name, range);
  const quote = (s: string): string => (s.startsWith('@') || /[\s:]/.test(s) ? `"${s}"` : s);
  const blocks = [...pkgs]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => {
      const keys = [...(ranges.get(p.name) ?? new Set([`^${p.version}`]))].map((r) => quote(`${p.name}@${r}`));
      const lines = [
        `${keys.join(', ')}:`,
        `  version "${p.version}"`,
        `  resolved "${tarball('https://registry.yarnpkg.com', p)}"`,
        `  integrity ${integrity(p)}`,
      ];
      const deps = Object.entries(p.dependencies ?? {});
      if (deps.length > 0) lines.push('  dependencies:', ...deps.map(([n, r]) => `    ${quote(n)} "${r}"`));
      return lines.join('\n');
    });
  return `# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n\n\n${blocks.join('\n\n')}\n`;
}

/** pip `requirements.txt` with pinned versions, as `pip freeze` writes it. */
export function writeRequirementsTxt(pkgs: LockPackage[]): string {
  return pkgs.map((p) => `${p.name}==${p.version}`).join('\n') + '\n';
}

/** Poetry `poetry.lock` (lock-version 2.0). */
export function writePoetryLock(pkgs: LockPackage[]): string {
  const blocks = pkgs.map((p) => {
    const file = `${p.name.replace(/-/g, '_')}-${p.version}-py3-none-any.whl`;
    const hash = createHash('sha256').update(`${p.name}@${p.version}`).digest('hex');
    const lines = [
      '[[package]]',
      `name = "${p.name}"`,
      `version = "${p.version}"`,
      `description = ""`,
      'optional = false',
      `python-versions = ">=3.8"`,
      'files = [',
      `    {file = "${file}", hash = "sha256:${hash}"},`,
      ']',
    ];
    const deps = Object.entries(p.dependencies ?? {});
    if (deps.length > 0) lines.push('', '[package.dependencies]', ...deps.map(([n, r]) => `${n} = "${r}"`));
    return lines.join('\n');
  });
  const contentHash = createHash('sha256').update(blocks.join('')).digest('hex');
  return (
    '# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.\n\n' +
    `${blocks.join('\n\n')}\n\n[metadata]\nlock-version = "2.0"\npython-versions = "^3.11"\ncontent-hash = "${contentHash}"\n`
  );
}

/**
 * Cargo `Cargo.lock` (version 4) as cargo writes it: every package, the project's own crate included, sorted by name;
 * each one's `dependencies` by name; the project depending on the crates nothing else pulls in.
 */
export function writeCargoLock(project: string, pkgs: LockPackage[]): string {
  const pulledIn = new Set(pkgs.flatMap((p) => Object.keys(p.dependencies ?? {})));
  const depsList = (names: string[]): string[] =>
    names.length > 0 ? ['dependencies = [', ...[...names].sort().map((n) => ` "${n}",`), ']'] : [];
  const blocks: Array<[string, string]> = [
    [
      project,
      [
        '[[package]]',
        `name = "${project}"`,
        'version = "0.1.0"',
        ...depsList(pkgs.filter((p) => !pulledIn.has(p.name)).map((p) => p.name)),
      ].join('\n'),
    ],
    ...pkgs.map((p): [string, string] => [
      p.name,
      [
        '[[package]]',
        `name = "${p.name}"`,
        `version = "${p.version}"`,
        'source = "registry+https://github.com/rust-lang/crates.io-index"',
        // The real checksum of the .crate the sandbox crates registry serves for it, so cargo can fetch it.
        `checksum = "${crateVersion({ name: p.name, vers: p.version, deps: p.dependencies ?? {}, published: '' }).cksum}"`,
        ...depsList(Object.keys(p.dependencies ?? {})),
      ].join('\n'),
    ]),
  ];
  blocks.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return (
    '# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n\n' +
    `${blocks.map(([, text]) => text).join('\n\n')}\n`
  );
}
