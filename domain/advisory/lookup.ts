import { affectedVersionAdmitted, versionAffected } from './match';
import { baseEcosystem, normalizePackageName } from './ecosystem';
import type { Advisory, AffectedPackage } from './types';

/** An advisory together with the entry in it that names a given package. */
export interface AdvisoryHit {
  advisory: Advisory;
  affected: AffectedPackage;
}

/** An advisory hit for an unpinned requirement, with the affected version the requirement admits. */
export interface AdmittedHit extends AdvisoryHit {
  witness: string;
}

/** Advisories indexed by (ecosystem, normalized package name), so each lockfile package costs one map lookup. */
export class AdvisoryLookup {
  private readonly byPackage = new Map<string, AdvisoryHit[]>();

  constructor(advisories: readonly Advisory[]) {
    for (const advisory of advisories) {
      for (const affected of advisory.affected) {
        const key = packageKey(baseEcosystem(affected.ecosystem), affected.name);
        const hits = this.byPackage.get(key) ?? [];
        hits.push({ advisory, affected });
        this.byPackage.set(key, hits);
      }
    }
  }

  /** Advisories that affect this exact installed version. */
  affecting(ecosystem: string, name: string, version: string): AdvisoryHit[] {
    const hits = this.byPackage.get(packageKey(ecosystem, name));
    return hits ? hits.filter((hit) => versionAffected(hit.affected, version)) : [];
  }

  /** Advisories with an affected version that an unpinned requirement (PEP 440 specifier) admits. */
  admitting(ecosystem: string, name: string, specifier: string): AdmittedHit[] {
    const out: AdmittedHit[] = [];
    for (const hit of this.byPackage.get(packageKey(ecosystem, name)) ?? []) {
      const witness = affectedVersionAdmitted(hit.affected, specifier);
      if (witness !== undefined) out.push({ ...hit, witness });
    }
    return out;
  }
}

function packageKey(ecosystem: string, name: string): string {
  return `${ecosystem}\u0000${normalizePackageName(ecosystem, name)}`;
}
