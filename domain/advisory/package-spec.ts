import { ECOSYSTEMS, parseEcosystem } from './ecosystem';
import type { Advisory } from './types';

/** A `--package` spec read into an advisory, or why it cannot be read. */
export type PackageSpecOutcome = { ok: true; advisory: Advisory } | { ok: false; message: string };

/**
 * Reads `ECOSYSTEM:name@version` (`npm:@mastra/core@1.42.1`, `pypi:num2words@0.5.15`, `crates.io:ruspty@1.0.0`) into
 * a one-package advisory whose id is the spec itself, for the first minutes of an incident before any advisory exists.
 */
export function parsePackageSpec(spec: string): PackageSpecOutcome {
  const colon = spec.indexOf(':');
  const expected = `expected ECOSYSTEM:name@version with ECOSYSTEM one of ${ECOSYSTEMS.join(', ')}`;
  if (colon <= 0) return { ok: false, message: `--package "${spec}": ${expected}` };
  const ecosystem = parseEcosystem(spec.slice(0, colon));
  if (!ecosystem)
    return { ok: false, message: `--package "${spec}": unknown ecosystem "${spec.slice(0, colon)}"; ${expected}` };
  const rest = spec.slice(colon + 1);
  // Scoped npm names start with '@', so the version separator is the last '@', and never the first character.
  const at = rest.lastIndexOf('@');
  if (at <= 0 || at === rest.length - 1) return { ok: false, message: `--package "${spec}": ${expected}` };
  const name = rest.slice(0, at);
  const version = rest.slice(at + 1);
  return {
    ok: true,
    advisory: {
      id: `${ecosystem}:${name}@${version}`,
      aliases: [],
      source: '--package',
      affected: [{ ecosystem, name, versions: [version], ranges: [] }],
    },
  };
}
