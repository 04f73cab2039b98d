import type { GitHubClient } from '../client';
import { hasStatus, toApplicationFailure } from '../errors';
import type { ActionHandler } from '../../registry';
import type { ActionEffects, ActionPlan } from '../../types';
import { call, countIn, getIfPresent, targetList } from './targets';

/** GitHub Packages' package types: `GET /orgs/{org}/packages` lists one type per call. */
export const PACKAGE_TYPES = ['npm', 'container', 'maven', 'rubygems', 'nuget', 'docker'] as const;
type PackageType = (typeof PACKAGE_TYPES)[number];

/** An exposed run as `github.collectCiExposure` reports it: which repository, and when it started. */
export interface PublishingRunTarget {
  repo: string;
  id: number;
  createdAt: string;
}

/** Input of `github.deletePackageVersions`. */
export interface PackageVersionsInput {
  org: string;
  targets: PublishingRunTarget | PublishingRunTarget[] | null;
  /** End of the exposure window: versions published later are not counted. Unset: up to now. */
  until?: string | null;
  /** Package types to look at. @default all of GitHub Packages' types */
  types?: PackageType[] | null;
}

/** One package version an exposed run's repository published after that run started. */
export interface PackageVersionItem {
  packageType: PackageType;
  package: string;
  versionId: number;
  version: string;
  /** Container tags, for container images. */
  tags: string[];
  repo: string;
  publishedAt: string;
  /** The latest exposed run of the repository that had started when the version was published. */
  afterRun: { id: number; createdAt: string };
}

/** A version GitHub would not delete, with its answer: a person must take it down (e.g. the package's last version). */
export interface PackageVersionByHand {
  item: PackageVersionItem;
  reason: string;
}

const label = (i: PackageVersionItem) => `${i.packageType}:${i.package}@${i.version}`;

/** The route parameters of one package version of the organisation that owns the publishing repository. */
const versionParams = (i: PackageVersionItem) => ({
  org: i.repo.split('/')[0]!,
  package_type: i.packageType,
  package_name: i.package,
  package_version_id: i.versionId,
});

/**
 * `github.deletePackageVersions`: GitHub Packages versions published by an exposed repository after one of its exposed
 * runs started (and before the window's end) — what a poisoned build may have shipped onwards, as the Shai-Hulud worm
 * did. GitHub does not link a package version to the run that published it, so the plan names the repository the
 * package is linked to and the run it followed, for the approver to judge. Apply deletes them; GitHub keeps a deleted
 * version restorable for 30 days, which is the undo (`github.restorePackageVersions`). A version GitHub refuses to
 * delete (the package's last one) is handed to a person with GitHub's answer.
 * https://docs.github.com/rest/packages/packages
 */
export function deletePackageVersions(octokit: GitHubClient): ActionHandler<PackageVersionsInput, PackageVersionItem> {
  return {
    async plan(input) {
      const runsByRepo = new Map<string, PublishingRunTarget[]>();
      for (const r of targetList(input.targets)) runsByRepo.set(r.repo, [...(runsByRepo.get(r.repo) ?? []), r]);
      const until = input.until ? Date.parse(input.until) : Number.POSITIVE_INFINITY;
      const items: PackageVersionItem[] = [];
      if (runsByRepo.size > 0) {
        for (const packageType of input.types ?? PACKAGE_TYPES) {
          const packages = await call(`list ${input.org} ${packageType} packages`, () =>
            octokit.paginate(octokit.rest.packages.listPackagesForOrganization, {
              org: input.org,
              package_type: packageType,
              per_page: 100,
            }),
          );
          for (const p of packages) {
            const repo = p.repository?.full_name;
            const runs = repo ? runsByRepo.get(repo) : undefined;
            if (!repo || !runs) continue;
            const versions = await call(`list ${packageType}:${p.name} versions`, () =>
              octokit.paginate(octokit.rest.packages.getAllPackageVersionsForPackageOwnedByOrg, {
                org: input.org,
                package_type: packageType,
                package_name: p.name,
                state: 'active',
                per_page: 100,
              }),
            );
            for (const v of versions) {
              const at = Date.parse(v.created_at);
              const after = runs
                .filter((r) => Date.parse(r.createdAt) <= at)
                .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
              if (!after || at > until) continue;
              items.push({
                packageType,
                package: p.name,
                versionId: v.id,
                version: v.name,
                tags: v.metadata?.container?.tags ?? [],
                repo,
                publishedAt: v.created_at,
                afterRun: { id: after.id, createdAt: after.createdAt },
              });
            }
          }
        }
      }
      const plan: ActionPlan<PackageVersionItem> = {
        summary: `delete ${countIn(
          items.length,
          'package version',
          items.map((i) => i.repo),
        )} published after an exposed run started (restorable for 30 days): ${items.map(label).join(', ') || 'none'}`,
        items,
        irreversible: false,
        details: { versions: items.map(label) },
      };
      return plan;
    },

    async apply(plan) {
      const deleted: PackageVersionItem[] = [];
      const byHand: PackageVersionByHand[] = [];
      let alreadyDeleted = 0;
      for (const item of plan.items) {
        const params = versionParams(item);
        try {
          await octokit.rest.packages.deletePackageVersionForOrg(params);
          deleted.push(item);
        } catch (err) {
          // Deleted by an earlier try of this apply (or by someone since the plan).
          if (hasStatus(err, 404)) alreadyDeleted++;
          else if (hasStatus(err, 400, 403, 422))
            byHand.push({ item, reason: (err as Error).message || 'GitHub refused the deletion' });
          else throw toApplicationFailure(err, `delete ${label(item)}`);
        }
      }
      const effects: ActionEffects = { deleted, alreadyDeleted, byHand };
      return effects;
    },
  };
}

/**
 * `github.restorePackageVersions`, the undo of `github.deletePackageVersions`: restores the versions it deleted (GitHub
 * keeps them for 30 days). Versions already active again are skipped, so a retry is harmless.
 */
export function restorePackageVersions(octokit: GitHubClient): ActionHandler {
  return {
    async undo(effects: ActionEffects) {
      let restored = 0;
      for (const item of (effects.deleted as PackageVersionItem[] | undefined) ?? []) {
        const params = versionParams(item);
        const current = await getIfPresent(`get ${label(item)}`, () =>
          octokit.rest.packages.getPackageVersionForOrganization(params),
        );
        if (current && !current.data.deleted_at) continue;
        await call(`restore ${label(item)}`, () => octokit.rest.packages.restorePackageVersionForOrg(params));
        restored++;
      }
      return { restored };
    },
  };
}
