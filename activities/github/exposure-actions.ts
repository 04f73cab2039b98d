import { ApplicationFailure } from '@temporalio/common';
import { AdvisoryLookup, type AffectedPackage } from '../../domain/advisory';
import { mergeApiCalls, type GitHubActivities, type RepoName, type WorkflowRunRef } from '.';
import type { ActionContext } from '../types';
import type { ActionHandlers } from '../registry';
import { findingsFor, type Finding } from '../../lockfiles/findings';
import { detectLockfileFormat, PARSERS } from '../../lockfiles';
import { FailureType } from '../../domain/failures';

/** One exposure found in an organisation: a lockfile finding, and the repository that holds the lockfile. */
export type OrgFinding = Finding & { repo: string };

/** A secret name a run could read, where it lives. Names only: values never leave GitHub. */
export interface ReachableSecret {
  repo: string;
  scope: 'repository' | 'environment' | 'organization';
  environment?: string;
  name: string;
}

/** A repository as `github.listRepos` lists it: enough to scan it without another lookup. */
export type ListedRepo = RepoName & { defaultBranch?: string };

const repoKey = (r: RepoName): string => `${r.owner}/${r.name}`;

function advisoryOf(ctx: ActionContext, packages: AffectedPackage[]): AdvisoryLookup {
  return new AdvisoryLookup([
    { id: `declared:${ctx.incidentId}`, aliases: [], source: 'incident', affected: packages },
  ]);
}

/** What the exposure activities need: the GitHub reads (`createGitHubActivities`) they are built on. */
export interface ExposureActivityDeps {
  github: GitHubActivities;
}

/**
 * The org-wide identify-installs actions of the playbook, on top of the GitHub activities and the lockfile parsers:
 * `github.listRepos`, `exposure.identifyInstalls` (one batch of repositories per call, fanned out by the workflow)
 * and `github.collectCiExposure`.
 */
export function createExposureActivities({ github }: ExposureActivityDeps) {
  return {
    'github.listRepos': {
      async run(input: { org: string }) {
        const { repos, apiCalls } = await github.githubListOrgRepos({ org: input.org });
        return {
          repos: repos.map((r) => ({
            owner: r.owner,
            name: r.name,
            visibility: r.visibility,
            defaultBranch: r.defaultBranch,
          })),
          count: repos.length,
          apiCalls,
        };
      },
    },
    'exposure.identifyInstalls': {
      async run(input: { org: string; packages: AffectedPackage[]; items?: ListedRepo[] }, ctx: ActionContext) {
        if (!input.packages?.length) {
          throw ApplicationFailure.create({
            type: FailureType.NoPackages,
            message: 'identifyInstalls needs the affected packages',
            nonRetryable: true,
          });
        }
        const repos = input.items ?? [];
        const lookup = advisoryOf(ctx, input.packages);
        const packages = input.packages.map((p) => ({ ecosystem: p.ecosystem, name: p.name }));
        const { scans, apiCalls } = await github.githubScanLockfilesBatch({
          // The listed default branch saves the lookup a scan without a ref makes.
          scans: repos.map((r) => ({
            owner: r.owner,
            repo: r.name,
            packages,
            ...(r.defaultBranch ? { ref: r.defaultBranch } : {}),
          })),
        });
        const findings: OrgFinding[] = [];
        const parseErrors: { repo: string; file: string; message: string }[] = [];
        let lockfilesRead = 0;
        let lockfilesSkipped = 0;
        for (const scan of scans) {
          lockfilesSkipped += scan.skipped.length;
          for (const lf of scan.lockfiles) {
            lockfilesRead++;
            const format = detectLockfileFormat(lf.path);
            if (!format) continue;
            const parsed = PARSERS[format](lf.path, lf.text);
            for (const p of parsed.problems)
              parseErrors.push({
                repo: scan.repo,
                file: lf.path,
                message: p.line ? `line ${p.line}: ${p.message}` : p.message,
              });
            for (const f of findingsFor(lf.path, parsed, lookup)) findings.push({ repo: scan.repo, ...f });
          }
        }
        const exposed = new Set(findings.filter((f) => f.kind === 'installed').map((f) => f.repo));
        return {
          exposedRepos: repos.filter((r) => exposed.has(repoKey(r))),
          findings,
          parseErrors,
          reposScanned: repos.length,
          lockfilesRead,
          lockfilesSkipped,
          apiCalls,
        };
      },
    },
    'github.collectCiExposure': {
      async run(input: { org: string; repos: RepoName[] | null; since: string; until?: string | null }) {
        const repos = input.repos ?? [];
        const until = input.until ?? new Date().toISOString();
        if (repos.length === 0) return { runs: [], workflows: [], runners: [], secrets: [], apiCalls: {} };
        const runs = await github.githubListRunsInWindow({ repos, since: input.since, until });
        const runners = await github.githubListSelfHostedRunners({ org: input.org, repos });
        const secretNames = await github.githubListSecretNames({ org: input.org, repos });
        const flatRuns = runs.repos.flatMap((r) => r.runs.map((run: WorkflowRunRef) => ({ repo: r.repo, ...run })));
        const workflows = new Map<string, { repo: string; id: number; path: string }>();
        for (const r of flatRuns)
          workflows.set(`${r.repo}#${r.workflowId}`, { repo: r.repo, id: r.workflowId, path: r.workflowPath });
        const secrets: ReachableSecret[] = [];
        for (const s of secretNames.repos) {
          for (const name of s.repository) secrets.push({ repo: s.repo, scope: 'repository', name });
          for (const env of s.environments)
            for (const name of env.secrets)
              secrets.push({ repo: s.repo, scope: 'environment', environment: env.name, name });
          for (const name of s.organization) secrets.push({ repo: s.repo, scope: 'organization', name });
        }
        return {
          runs: flatRuns.map((r) => ({
            repo: r.repo,
            id: r.id,
            workflowId: r.workflowId,
            workflowPath: r.workflowPath,
            headSha: r.headSha,
            createdAt: r.createdAt,
            event: r.event,
            conclusion: r.conclusion,
          })),
          workflows: [...workflows.values()],
          runners: runners.runners,
          secrets,
          apiCalls: mergeApiCalls(runs.apiCalls, runners.apiCalls, secretNames.apiCalls),
        };
      },
    },
  } satisfies ActionHandlers;
}

/** The handlers `createExposureActivities` returns. */
export type ExposureActivities = ReturnType<typeof createExposureActivities>;
