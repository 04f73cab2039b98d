import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import type { GitHubClient } from '../client';
import type { RunnerRef } from '../types';
import type { ActionHandler } from '../../registry';
import type { ActionEffects } from '../../types';
import { call, changeIfPresent, repoParams, targetList } from '../contain/targets';
import { FailureType } from '../../../domain/failures';

/** Input of `github.revokeTokens`. */
export interface RevokeTokensInput {
  org: string;
  /** The exposure window. */
  since: string;
  until?: string | null;
  /** Self-hosted runners the exposed runs could use, as `github.collectCiExposure` lists them. */
  targets?: RunnerRef | RunnerRef[] | null;
  /** Exposed repositories whose deploy keys are checked (`owner/name`, or `{ owner, name }`). */
  repos?: Array<string | { owner: string; name: string }> | null;
  /**
   * A file on the worker listing leaked token values found in exposed logs or files, one per line. A path, not the
   * values: the values must never enter workflow history. The plan shows fingerprints only.
   */
  leakedTokensFile?: string | null;
}

/** One revocation. */
export type RevokeItem =
  | { kind: 'pat'; id: number; tokenId: number; tokenName: string; owner: string; lastUsedAt: string | null }
  | { kind: 'deployKey'; repo: string; id: number; title: string; createdAt: string }
  | { kind: 'runner'; scope: string; id: number; name: string }
  | { kind: 'leakedToken'; fingerprint: string; prefix: string };

/** GitHub's limit of grants per revoke request. https://docs.github.com/rest/orgs/personal-access-tokens#update-the-access-to-organization-resources-via-fine-grained-personal-access-tokens */
export const PAT_BATCH = 100;
/** GitHub's limit of credentials per revocation request. https://docs.github.com/rest/credentials/revoke */
export const LEAKED_BATCH = 1000;

const inWindow = (at: string | null | undefined, since: number, until: number): boolean =>
  Boolean(at) && Date.parse(at!) >= since && Date.parse(at!) <= until;

/** First 16 hex digits of SHA-256 of a token: names it in plans and history without revealing it. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}

function readLeaked(file: string): string[] {
  try {
    return [
      ...new Set(
        readFileSync(file, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith('#')),
      ),
    ];
  } catch (err) {
    throw ApplicationFailure.create({
      type: FailureType.BadLeakedTokensFile,
      message: `leakedTokensFile ${file}: ${(err as Error).message}`,
      nonRetryable: true,
    });
  }
}

const repoName = (r: string | { owner: string; name: string }): string =>
  typeof r === 'string' ? r : `${r.owner}/${r.name}`;

/**
 * `github.revokeTokens`: fine-grained PATs with access to the organisation used inside the exposure window
 * (access revoked in batches of ≤100), deploy keys added to exposed repositories inside the window, self-hosted
 * runners the exposed runs could use (GitHub's API gives no registration time, so every one listed is removed: a
 * runner that ran or could run the malware is not trusted again), and leaked tokens submitted to GitHub's
 * credential-revocation API. Irreversible. Effects hold ids, names and fingerprints only.
 */
export function revokeTokens(octokit: GitHubClient): ActionHandler<RevokeTokensInput, RevokeItem> {
  return {
    async plan(input) {
      const since = Date.parse(input.since);
      const until = input.until ? Date.parse(input.until) : Number.POSITIVE_INFINITY;
      const items: RevokeItem[] = [];
      // https://docs.github.com/rest/orgs/personal-access-tokens#list-fine-grained-personal-access-tokens-with-access-to-organization-resources
      const grants = await call(`list PAT grants of ${input.org}`, () =>
        octokit.paginate(octokit.rest.orgs.listPatGrants, { org: input.org, per_page: 100 }),
      );
      for (const g of grants)
        if (inWindow(g.token_last_used_at, since, until))
          items.push({
            kind: 'pat',
            id: g.id,
            tokenId: g.token_id,
            tokenName: g.token_name,
            owner: g.owner.login,
            lastUsedAt: g.token_last_used_at,
          });
      const repos = [...new Set((input.repos ?? []).map(repoName))].sort();
      for (const repo of repos) {
        const keys = await call(`list deploy keys of ${repo}`, () =>
          octokit.paginate(octokit.rest.repos.listDeployKeys, { ...repoParams(repo), per_page: 100 }),
        );
        for (const k of keys)
          if (inWindow(k.created_at, since, until))
            items.push({ kind: 'deployKey', repo, id: k.id, title: k.title, createdAt: k.created_at });
      }
      const seen = new Set<string>();
      for (const r of targetList(input.targets)) {
        if (seen.has(`${r.scope}#${r.id}`)) continue;
        seen.add(`${r.scope}#${r.id}`);
        items.push({ kind: 'runner', scope: r.scope, id: r.id, name: r.name });
      }
      const leaked = input.leakedTokensFile ? readLeaked(input.leakedTokensFile) : [];
      for (const t of leaked)
        items.push({ kind: 'leakedToken', fingerprint: tokenFingerprint(t), prefix: t.slice(0, 4) });
      const n = (k: RevokeItem['kind']) => items.filter((i) => i.kind === k).length;
      return {
        summary:
          `IRREVERSIBLE: revoke ${n('pat')} fine-grained PAT(s) used inside the window, delete ${n('deployKey')} ` +
          `deploy key(s) added inside it, remove ${n('runner')} self-hosted runner(s), and submit ${n('leakedToken')} ` +
          `leaked token(s) to GitHub's credential-revocation API (unauthenticated, rate-limited, cannot be undone)`,
        items,
        irreversible: true,
        details: {
          org: input.org,
          ...(input.leakedTokensFile ? { leakedTokensFile: input.leakedTokensFile } : {}),
          pats: n('pat'),
          deployKeys: n('deployKey'),
          runners: n('runner'),
          leakedTokens: n('leakedToken'),
          runnersNote:
            "GitHub's REST API gives no runner registration time: every self-hosted runner the exposed runs could use is removed; re-register the ones you trust",
        },
      };
    },
    async apply(plan): Promise<ActionEffects> {
      const pats = plan.items.filter((i): i is Extract<RevokeItem, { kind: 'pat' }> => i.kind === 'pat');
      const effects = {
        patsRevoked: [] as Array<{ id: number; tokenName: string; owner: string }>,
        deployKeysDeleted: [] as Array<{ repo: string; id: number; title: string }>,
        runnersRemoved: [] as Array<{ scope: string; id: number; name: string }>,
        leakedTokensSubmitted: [] as string[],
        alreadyGone: [] as Array<{ kind: string; id: number }>,
        tokensRevoked: 0,
      };
      const org = plan.details?.org as string;
      for (let i = 0; i < pats.length; i += PAT_BATCH) {
        const batch = pats.slice(i, i + PAT_BATCH);
        // Revoking a grant already revoked is accepted again, so a retried batch changes nothing twice.
        await call(`revoke ${batch.length} PAT grant(s)`, () =>
          octokit.rest.orgs.updatePatAccesses({ org, action: 'revoke', pat_ids: batch.map((p) => p.id) }),
        );
        effects.patsRevoked.push(...batch.map((p) => ({ id: p.id, tokenName: p.tokenName, owner: p.owner })));
      }
      for (const item of plan.items) {
        if (item.kind === 'deployKey') {
          const done = await changeIfPresent(`delete deploy key ${item.id} of ${item.repo}`, () =>
            octokit.rest.repos.deleteDeployKey({ ...repoParams(item.repo), key_id: item.id }),
          );
          if (done) effects.deployKeysDeleted.push({ repo: item.repo, id: item.id, title: item.title });
          else effects.alreadyGone.push({ kind: 'deployKey', id: item.id });
        } else if (item.kind === 'runner') {
          const done = await changeIfPresent(`remove runner ${item.name}`, () =>
            item.scope === 'org'
              ? octokit.rest.actions.deleteSelfHostedRunnerFromOrg({ org, runner_id: item.id })
              : octokit.rest.actions.deleteSelfHostedRunnerFromRepo({ ...repoParams(item.scope), runner_id: item.id }),
          );
          if (done) effects.runnersRemoved.push({ scope: item.scope, id: item.id, name: item.name });
          else effects.alreadyGone.push({ kind: 'runner', id: item.id });
        }
      }
      const leaked = plan.items.filter(
        (i): i is Extract<RevokeItem, { kind: 'leakedToken' }> => i.kind === 'leakedToken',
      );
      if (leaked.length > 0) {
        const file = plan.details?.leakedTokensFile as string;
        const wanted = new Set(leaked.map((l) => l.fingerprint));
        // Only the tokens approved by fingerprint: a line added to the file since the plan is not submitted.
        const tokens = readLeaked(file).filter((t) => wanted.has(tokenFingerprint(t)));
        for (let i = 0; i < tokens.length; i += LEAKED_BATCH) {
          const batch = tokens.slice(i, i + LEAKED_BATCH);
          await call(`submit ${batch.length} leaked token(s) for revocation`, () =>
            octokit.request('POST /credentials/revoke', { credentials: batch }),
          );
          effects.leakedTokensSubmitted.push(...batch.map(tokenFingerprint));
        }
      }
      effects.tokensRevoked =
        effects.patsRevoked.length + effects.deployKeysDeleted.length + effects.leakedTokensSubmitted.length;
      return effects;
    },
  };
}
