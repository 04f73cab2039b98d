import { ApplicationFailure } from '@temporalio/common';
import type { GitHubClient } from '../client';
import type { ActionHandler } from '../../registry';
import type { ActionContext, ActionEffects, ActionPlan } from '../../types';
import type { ExposedRunTarget } from './rollback-deployments';
import { call, changeIfPresent, countIn, getIfPresent, repoParams, targetList } from './targets';
import { FailureType } from '../../../domain/failures';

/** Input of `github.withdrawReleases`. */
export interface WithdrawInput {
  targets: ExposedRunTarget | ExposedRunTarget[] | null;
  /** `draft` hides a release and can be undone; `delete` removes it for good. @default draft */
  mode?: 'draft' | 'delete' | null;
}

/** One release built from an exposed run's commit. */
export interface WithdrawItem {
  repo: string;
  id: number;
  tag: string;
  name: string | null;
  /** The exposed commit the release points at. */
  sha: string;
  action: 'draft' | 'delete';
  /** The files users could download from it, and how often they did: who may have run the exposed build. */
  assets: ReleaseAsset[];
}

/** A release asset as the plan shows it. */
export interface ReleaseAsset {
  name: string;
  size: number;
  downloads: number;
  /** `sha256:<hex>` where GitHub reports it: what to search for on machines that downloaded it. */
  digest: string | null;
  url: string;
}

/** The commit a tag points at, following an annotated tag to its commit; undefined when the tag is gone. */
async function tagCommit(octokit: GitHubClient, repo: string, tag: string): Promise<string | undefined> {
  const ref = await getIfPresent(`get ${repo} tag ${tag}`, () =>
    octokit.rest.git.getRef({ ...repoParams(repo), ref: `tags/${tag}` }),
  );
  if (!ref) return undefined;
  if (ref.data.object.type !== 'tag') return ref.data.object.sha;
  const annotated = await call(`get ${repo} annotated tag ${tag}`, () =>
    octokit.rest.git.getTag({ ...repoParams(repo), tag_sha: ref.data.object.sha }),
  );
  return annotated.data.object.sha;
}

const withdrawnNote = (ctx: ActionContext, sha: string) =>
  `\n\n> Withdrawn by cordon, incident ${ctx.incidentId}: built from ${sha.slice(0, 12)}, a commit built by a CI run exposed to the compromised dependency.`;

/**
 * `github.withdrawReleases`: releases whose target is a commit an exposed run built — `target_commitish` is that
 * SHA, or the release's tag points at it — are turned back into drafts (hidden from users, undoable) or deleted
 * (irreversible; the plan says so), per the playbook's `mode`. Releases already drafts are left alone.
 * https://docs.github.com/rest/releases/releases
 */
export function withdrawReleases(octokit: GitHubClient): ActionHandler<WithdrawInput, WithdrawItem> {
  return {
    async plan(input) {
      const mode = input.mode ?? 'draft';
      if (mode !== 'draft' && mode !== 'delete') {
        throw ApplicationFailure.create({
          type: FailureType.BadInput,
          message: `withdrawReleases: mode must be "draft" or "delete", got "${String(mode)}"`,
          nonRetryable: true,
        });
      }
      const shasByRepo = new Map<string, Set<string>>();
      for (const t of targetList(input.targets))
        shasByRepo.set(t.repo, (shasByRepo.get(t.repo) ?? new Set()).add(t.headSha));
      const items: WithdrawItem[] = [];
      for (const [repo, shas] of shasByRepo) {
        const releases = await call(`list ${repo} releases`, () =>
          octokit.paginate(octokit.rest.repos.listReleases, { ...repoParams(repo), per_page: 100 }),
        );
        for (const r of releases) {
          if (mode === 'draft' && r.draft) continue;
          const sha = shas.has(r.target_commitish)
            ? r.target_commitish
            : await tagCommit(octokit, repo, r.tag_name).then((s) => (s && shas.has(s) ? s : undefined));
          if (!sha) continue;
          const assets = r.assets.map((a) => ({
            name: a.name,
            size: a.size,
            downloads: a.download_count,
            digest: a.digest ?? null,
            url: a.browser_download_url,
          }));
          items.push({ repo, id: r.id, tag: r.tag_name, name: r.name, sha, action: mode, assets });
        }
      }
      const assets = items.flatMap((i) => i.assets);
      const downloads = assets.reduce((n, a) => n + a.downloads, 0);
      const assetNote =
        assets.length > 0 ? ` (${assets.length} asset(s), downloaded ${downloads} time(s) before containment)` : '';
      const plan: ActionPlan<WithdrawItem> = {
        summary:
          (mode === 'delete'
            ? `IRREVERSIBLE: delete ${countIn(
                items.length,
                'release',
                items.map((i) => i.repo),
              )} built by exposed runs; deleted releases cannot be restored`
            : `turn ${countIn(
                items.length,
                'release',
                items.map((i) => i.repo),
              )} built by exposed runs back into drafts`) + assetNote,
        items,
        irreversible: mode === 'delete' && items.length > 0,
        details: { mode, releases: items.map((i) => `${i.repo}@${i.tag}`), assets: assets.length, downloads },
      };
      return plan;
    },

    async apply(plan, ctx) {
      const withdrawn: WithdrawItem[] = [];
      const alreadyWithdrawn: WithdrawItem[] = [];
      for (const item of plan.items) {
        const params = { ...repoParams(item.repo), release_id: item.id };
        if (item.action === 'delete') {
          const deleted = await changeIfPresent(`delete ${item.repo} release ${item.tag}`, () =>
            octokit.rest.repos.deleteRelease(params),
          );
          (deleted ? withdrawn : alreadyWithdrawn).push(item);
          continue;
        }
        const current = await getIfPresent(`get ${item.repo} release ${item.tag}`, () =>
          octokit.rest.repos.getRelease(params),
        );
        // Drafted by an earlier try of this apply (or deleted since): nothing left to change.
        if (!current || current.data.draft) {
          alreadyWithdrawn.push(item);
          continue;
        }
        const note = withdrawnNote(ctx, item.sha);
        const body = (current.data.body ?? '').includes(note) ? current.data.body : `${current.data.body ?? ''}${note}`;
        await call(`draft ${item.repo} release ${item.tag}`, () =>
          octokit.rest.repos.updateRelease({ ...params, draft: true, ...(body ? { body } : {}) }),
        );
        withdrawn.push(item);
      }
      const effects: ActionEffects = {
        withdrawn,
        alreadyWithdrawn: alreadyWithdrawn.length,
        drafted: withdrawn.filter((i) => i.action === 'draft').length,
        deleted: withdrawn.filter((i) => i.action === 'delete').length,
      };
      return effects;
    },
  };
}

/**
 * `github.republishReleases`, the undo of `github.withdrawReleases`: publishes again the releases it turned into
 * drafts. Deleted releases cannot come back: they are reported, not recreated.
 */
export function republishReleases(octokit: GitHubClient): ActionHandler {
  return {
    async undo(effects: ActionEffects) {
      const items = (effects.withdrawn as WithdrawItem[] | undefined) ?? [];
      let republished = 0;
      for (const item of items.filter((i) => i.action === 'draft')) {
        const params = { ...repoParams(item.repo), release_id: item.id };
        const current = await getIfPresent(`get ${item.repo} release ${item.tag}`, () =>
          octokit.rest.repos.getRelease(params),
        );
        if (!current || !current.data.draft) continue;
        await call(`publish ${item.repo} release ${item.tag}`, () =>
          octokit.rest.repos.updateRelease({ ...params, draft: false }),
        );
        republished++;
      }
      return {
        republished,
        notRestorable: items.filter((i) => i.action === 'delete').map((i) => `${i.repo}@${i.tag}`),
      };
    },
  };
}
