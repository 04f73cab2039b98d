// Declaration building shared by every way an incident starts (the CLI's `cordon declare`, Slack's `/cordon declare`),
// so both refuse bad input alike.
import { parsePackageSpec, type AffectedPackage } from '../domain/advisory';
import { UserError } from '../config/errors';

/** Reads `eco:name@v1[,v2]` package specs into affected packages (one per name, versions merged). */
export function packagesFromSpecs(specs: string[]): AffectedPackage[] {
  const byKey = new Map<string, AffectedPackage>();
  for (const spec of specs) {
    // `npm:name@1.0.0,1.0.1` lists several versions; anything without a version goes to the parser whole for its error.
    const at = spec.lastIndexOf('@');
    const versions = at > spec.indexOf(':') + 1 ? spec.slice(at + 1).split(',') : [undefined];
    for (const v of versions) {
      const r = parsePackageSpec(v === undefined ? spec : `${spec.slice(0, at)}@${v.trim()}`);
      if (!r.ok) throw new UserError(r.message, 'E_USAGE');
      for (const a of r.advisory.affected) {
        const key = `${a.ecosystem}:${a.name}`;
        const cur = byKey.get(key) ?? { ecosystem: a.ecosystem, name: a.name, versions: [], ranges: [] };
        cur.versions.push(...a.versions.filter((x) => !cur.versions.includes(x)));
        byKey.set(key, cur);
      }
    }
  }
  return [...byKey.values()];
}
