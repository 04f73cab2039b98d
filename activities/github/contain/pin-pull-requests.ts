import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { AdvisoryLookup, type AffectedPackage } from '../../../domain/advisory';
import type { OrgFinding } from '../exposure-actions';
import {
  FORMATS,
  detectLockfileFormat,
  PinInputError,
  type LockPinOptions,
  type LockPinResult,
  type PinChange,
  type PinRegistries,
} from '../../../lockfiles';
import type { ActionHandler } from '../../registry';
import type { ActionContext, ActionEffects, ActionPlan } from '../../types';
import type { GitHubClient } from '../client';
import { call, changeIfPresent, countIn, getIfPresent, repoParams, targetList } from './targets';
import { FailureType } from '../../../domain/failures';

/** A repository as `exposure.identifyInstalls` reports it exposed. */
export interface PinTarget {
  owner: string;
  name: string;
  defaultBranch?: string;
}

/** Input of `github.openPinPullRequests`. */
export interface PinInput {
  targets: PinTarget | PinTarget[] | null;
  /** The identify step's findings: which lockfiles of each repository hold which affected versions. */
  findings: OrgFinding[] | null;
  /** The incident's affected packages (advisory ranges), to tell good versions from bad. */
  packages: AffectedPackage[];
  advisoryIds?: string[] | null;
  /** Only versions published before this time count as good: the exposure window's start. */
  since?: string | null;
  /** A link to the incident for the pull request body (Temporal UI, ticket). */
  incidentUrl?: string | null;
}

/** One file the pin pull request writes: its path and the SHA-256 of exactly the bytes approved. */
export interface PinFile {
  path: string;
  sha256: string;
}

/** One pull request the plan opens (or updates): everything the approval binds to. */
export interface PinItem {
  repo: string;
  base: string;
  /** The commit the rewrite was computed from; apply rewrites from the same commit. */
  baseSha: string;
  branch: string;
  title: string;
  files: PinFile[];
  changes: Array<PinChange & { file: string }>;
  problems: string[];
  /** The identify step's findings in this repository: the pull request lists them, apply recomputes from them. */
  findings: OrgFinding[];
}

/** What apply needs besides the items, carried in the plan so that the approval covers it too. */
interface PinPlanDetails {
  byHand: PinByHand[];
  /** The registries the good versions were read from, by ecosystem. */
  registries: Record<string, string>;
  packages: AffectedPackage[];
  since: string | null;
  advisoryIds: string[];
  incidentUrl: string | null;
}

/** A finding the action cannot pin by itself, with why: it becomes a "pin by hand" item, never dropped. */
export interface PinByHand {
  repo: string;
  file: string;
  package: string;
  version: string;
  reason: string;
}

/** What apply did to one repository. */
export interface PinApplied {
  repo: string;
  number: number;
  url: string;
  branch: string;
  pullRequest: 'created' | 'updated' | 'unchanged';
  filesWritten: number;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

/** The branch of an incident's pin pull request: one per repository and incident, so a retry finds it. */
export function pinBranch(incidentId: string): string {
  return `cordon/pin/${incidentId.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
}

/**
 * A lockfile format cordon rewrites, bound to its registry: the OSV ecosystem its advisories are looked up in, the
 * manifest beside it that carries the pin (none when the lockfile is its own manifest, as a pip requirements file
 * is), the registry it reads good versions from, and the rewrite.
 */
export interface LockPinner {
  ecosystem: string;
  manifest: string | null;
  registryUrl: string;
  /** What the pull request body says about how this format's pin holds. */
  note: string;
  pin(options: LockPinOptions): Promise<LockPinResult>;
}

/** The pinner of every format the formats table rewrites, by format, reading good versions from these registries. */
export function pinnersFor(registries: PinRegistries): Record<string, LockPinner> {
  return Object.fromEntries(
    FORMATS.flatMap(({ format, ecosystem, manifest, pinner }) =>
      pinner
        ? [
            [
              format,
              {
                ecosystem,
                manifest,
                registryUrl: registries[pinner.registry].url,
                note: pinner.note,
                pin: (o: LockPinOptions) => pinner.pin(o, registries),
              },
            ],
          ]
        : [],
    ),
  );
}

interface Computed {
  files: Array<PinFile & { text: string }>;
  changes: Array<PinChange & { file: string }>;
  problems: string[];
  byHand: PinByHand[];
}

/** Reads a file at a commit; undefined when it is not there. */
async function readFile(octokit: GitHubClient, repo: string, path: string, ref: string): Promise<string | undefined> {
  const got = await getIfPresent(`read ${repo}:${path}`, () =>
    octokit.rest.repos.getContent({ ...repoParams(repo), path, ref }),
  );
  const data = got?.data as { type?: string; content?: string; encoding?: string } | undefined;
  if (!data || data.type !== 'file') return undefined;
  if (data.encoding === 'base64' && data.content) return decode(data.content);
  // Over 1 MB the JSON form has no content: ask for the raw bytes.
  const raw = await call(`read ${repo}:${path} raw`, () =>
    octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
      ...repoParams(repo),
      path,
      ref,
      headers: { accept: 'application/vnd.github.raw' },
    }),
  );
  return typeof raw.data === 'string' ? raw.data : Buffer.from(raw.data as unknown as ArrayBuffer).toString('utf8');
}

/**
 * The pin of one repository, computed from one commit: the rewritten lockfiles and manifests, the version changes,
 * and what must be pinned by hand. Deterministic for a commit and a registry state, so apply can check that it
 * writes exactly what was approved.
 */
async function computePin(
  octokit: GitHubClient,
  pinners: Record<string, LockPinner>,
  repo: string,
  sha: string,
  findings: OrgFinding[],
  lookup: AdvisoryLookup,
  since: string | undefined,
): Promise<Computed> {
  const out: Computed = { files: [], changes: [], problems: [], byHand: [] };
  const byFile = new Map<string, OrgFinding[]>();
  for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, fs] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const format = detectLockfileFormat(file);
    const handOff = (reason: string): void => {
      for (const f of fs) out.byHand.push({ repo, file, package: f.package, version: f.version, reason });
    };
    const pinner = format ? pinners[format] : undefined;
    if (!pinner) {
      handOff(`${format ?? 'this lockfile format'} is not rewritten by cordon yet: pin it with its package manager`);
      continue;
    }
    const lockText = await readFile(octokit, repo, file, sha);
    if (lockText === undefined) {
      handOff(`${file} is no longer at ${sha.slice(0, 7)}`);
      continue;
    }
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    const manifestPath = pinner.manifest ? `${dir}${pinner.manifest}` : undefined;
    const manifestText = manifestPath ? await readFile(octokit, repo, manifestPath, sha) : undefined;
    let pinned;
    try {
      pinned = await pinner.pin({
        lockText,
        ...(manifestText !== undefined ? { manifestText } : {}),
        affected: (name, version) => lookup.affecting(pinner.ecosystem, name, version).length > 0,
        ...(since ? { publishedBefore: since } : {}),
      });
    } catch (err) {
      if (err instanceof PinInputError) {
        // One unreadable file goes to a person; the other repositories' pins go on.
        handOff(`${err.file === 'lockfile' || !manifestPath ? file : manifestPath}: ${err.message}`);
        continue;
      }
      throw err;
    }
    if (pinned.changes.length === 0) {
      // Nothing rewritten (a lockfile version cordon does not edit, or the bad version is gone at this commit): the
      // findings go to a person with the reason, never dropped.
      handOff(pinned.problems.join('; ') || `no affected version is locked in ${file} at ${sha.slice(0, 7)}`);
      continue;
    }
    out.problems.push(...pinned.problems.map((p) => `${file}: ${p}`));
    if (manifestPath && manifestText === undefined)
      out.problems.push(`${file}: no ${manifestPath} next to it, so no manifest entry keeps the pin`);
    out.changes.push(...pinned.changes.map((c) => ({ ...c, file })));
    out.files.push({ path: file, text: pinned.lockText, sha256: sha256(pinned.lockText) });
    if (manifestPath && pinned.manifestText !== undefined && pinned.manifestText !== manifestText)
      out.files.push({ path: manifestPath, text: pinned.manifestText, sha256: sha256(pinned.manifestText) });
  }
  return out;
}

function titleFor(changes: PinChange[]): string {
  const names = [...new Set(changes.map((c) => c.package))];
  return `cordon: pin ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} to the last good version`;
}

function bodyFor(
  item: PinItem,
  input: PinPlanDetails,
  ctx: ActionContext,
  pinners: Record<string, LockPinner>,
): string {
  const { findings } = item;
  const lines = [
    `This pull request was opened by cordon for incident \`${ctx.incidentId}\`${input.incidentUrl ? ` (${input.incidentUrl})` : ''}.`,
    '',
    `**Advisories:** ${(input.advisoryIds ?? []).join(', ') || 'declared by the incident'}`,
    '',
    '### Findings',
    '',
    '| file | package | version | direct |',
    '| --- | --- | --- | --- |',
    ...findings.map(
      (f) =>
        `| \`${f.file}\`${f.line ? `:${f.line}` : ''} | ${f.package} | ${f.version} | ${f.direct ? 'yes' : 'no'} |`,
    ),
    '',
    '### Changes',
    '',
    ...item.changes.map(
      (c) => `- \`${c.file}\`: ${c.package} ${c.from} → ${c.to ?? 'removed (nothing needs it after the pin)'}`,
    ),
  ];
  if (item.problems.length > 0) lines.push('', '### Needs a person', '', ...item.problems.map((p) => `- ${p}`));
  const notes = new Set(
    item.changes.map((c) => pinners[detectLockfileFormat(c.file) ?? '']?.note).filter((n) => n !== undefined),
  );
  lines.push('', ...[...notes].flatMap((n) => [n, '']), 'Review, let CI run, and merge.');
  return lines.join('\n');
}

/** Dependencies of the pin action. */
export interface PinDeps {
  octokit: GitHubClient;
  /** The lockfile formats rewritten, by format (`detectLockfileFormat`): see `pinnersFor`. */
  pinners: Record<string, LockPinner>;
}

/**
 * `github.openPinPullRequests`: one pull request per exposed repository that moves each affected dependency (npm,
 * PyPI, crates.io) to its last good version, with the pinner of its lockfile's format (see `LockPinner`). The plan lists, per repository, the commit it was computed
 * from, the branch, and the SHA-256 of every file it writes; apply recomputes from the same commit and refuses a
 * repository whose rewrite no longer matches what was approved (the registry changed), then writes the files to
 * the incident's branch and opens the pull request — or updates the one a previous try opened. Formats cordon does
 * not rewrite yet are listed as "pin by hand" in the plan.
 */
export function openPinPullRequests({ octokit, pinners }: PinDeps): ActionHandler<PinInput, PinItem> {
  const lookupOf = (packages: AffectedPackage[]) =>
    new AdvisoryLookup([{ id: 'incident', aliases: [], source: 'incident', affected: packages }]);
  return {
    async plan(input, ctx) {
      const lookup = lookupOf(input.packages);
      const installed = (input.findings ?? []).filter((f) => f.kind === 'installed');
      const items: PinItem[] = [];
      const byHand: PinByHand[] = [];
      for (const t of targetList(input.targets)) {
        const repo = `${t.owner}/${t.name}`;
        const findings = installed.filter((f) => f.repo === repo);
        if (findings.length === 0) continue;
        const base =
          t.defaultBranch ??
          (await call(`get ${repo}`, () => octokit.rest.repos.get({ ...repoParams(repo) }))).data.default_branch;
        const ref = await call(`get ${repo} ${base}`, () =>
          octokit.rest.git.getRef({ ...repoParams(repo), ref: `heads/${base}` }),
        );
        const baseSha = ref.data.object.sha;
        const c = await computePin(octokit, pinners, repo, baseSha, findings, lookup, input.since ?? undefined);
        byHand.push(...c.byHand);
        if (c.files.length === 0) continue;
        items.push({
          repo,
          base,
          baseSha,
          branch: pinBranch(ctx.incidentId),
          title: titleFor(c.changes),
          files: c.files.map(({ path, sha256: digest }) => ({ path, sha256: digest })),
          changes: c.changes,
          problems: c.problems,
          findings,
        });
      }
      const details: PinPlanDetails = {
        byHand,
        registries: Object.fromEntries(Object.values(pinners).map((p) => [p.ecosystem, p.registryUrl])),
        packages: input.packages,
        since: input.since ?? null,
        advisoryIds: input.advisoryIds ?? [],
        incidentUrl: input.incidentUrl ?? null,
      };
      const plan: ActionPlan<PinItem> = {
        summary:
          `open ${countIn(
            items.length,
            'pin pull request',
            items.map((i) => i.repo),
          )}` + (byHand.length > 0 ? `; ${byHand.length} finding(s) to pin by hand` : ''),
        items,
        irreversible: false,
        details: details as unknown as Record<string, unknown>,
      };
      return plan;
    },

    async apply(plan, ctx) {
      const applied: PinApplied[] = [];
      const refused: Array<{ repo: string; reason: string }> = [];
      const details = plan.details as unknown as PinPlanDetails;
      const lookup = lookupOf(details.packages);
      for (const item of plan.items) {
        const { repo } = item;
        const params = repoParams(repo);
        // What was approved is what is written: recompute from the same commit and compare digests.
        const again = await computePin(
          octokit,
          pinners,
          repo,
          item.baseSha,
          item.findings,
          lookup,
          details.since ?? undefined,
        );
        const texts = new Map(again.files.map((f) => [f.path, f.text]));
        const stale = item.files.filter(
          (f) => texts.get(f.path) === undefined || sha256(texts.get(f.path)!) !== f.sha256,
        );
        if (stale.length > 0 || again.files.length !== item.files.length) {
          refused.push({
            repo,
            reason: `the rewrite of ${stale.map((f) => f.path).join(', ') || 'its files'} no longer matches the approved plan (the registry changed?): plan again`,
          });
          continue;
        }

        const branchRef = await getIfPresent(`get ${repo} ${item.branch}`, () =>
          octokit.rest.git.getRef({ ...params, ref: `heads/${item.branch}` }),
        );
        if (!branchRef)
          await call(`create ${repo} ${item.branch}`, () =>
            octokit.rest.git.createRef({ ...params, ref: `refs/heads/${item.branch}`, sha: item.baseSha }),
          );
        let written = 0;
        for (const f of item.files) {
          const current = await getIfPresent(`read ${repo}:${f.path}@${item.branch}`, () =>
            octokit.rest.repos.getContent({ ...params, path: f.path, ref: item.branch }),
          );
          const data = current?.data as { sha?: string; content?: string } | undefined;
          const text = texts.get(f.path)!;
          // A previous try already wrote it: a retry writes no second commit.
          if (data?.content !== undefined && data.content !== '' && decode(data.content) === text) continue;
          await call(`write ${repo}:${f.path}`, () =>
            octokit.rest.repos.createOrUpdateFileContents({
              ...params,
              path: f.path,
              branch: item.branch,
              message: `cordon: pin ${f.path} to the last good versions (${ctx.incidentId})`,
              content: Buffer.from(text, 'utf8').toString('base64'),
              ...(data?.sha ? { sha: data.sha } : {}),
            }),
          );
          written++;
        }
        const body = bodyFor(item, details, ctx, pinners);
        const open = await call(`list ${repo} pull requests`, () =>
          octokit.rest.pulls.list({
            ...params,
            state: 'open',
            head: `${params.owner}:${item.branch}`,
            base: item.base,
          }),
        );
        const existing = open.data[0];
        if (existing) {
          const same = existing.title === item.title && (existing.body ?? '') === body;
          if (!same)
            await call(`update ${repo}#${existing.number}`, () =>
              octokit.rest.pulls.update({ ...params, pull_number: existing.number, title: item.title, body }),
            );
          applied.push({
            repo,
            number: existing.number,
            url: existing.html_url,
            branch: item.branch,
            pullRequest: same && written === 0 ? 'unchanged' : 'updated',
            filesWritten: written,
          });
          continue;
        }
        const created = await call(`open ${repo} pull request`, () =>
          octokit.rest.pulls.create({ ...params, head: item.branch, base: item.base, title: item.title, body }),
        );
        applied.push({
          repo,
          number: created.data.number,
          url: created.data.html_url,
          branch: item.branch,
          pullRequest: 'created',
          filesWritten: written,
        });
      }
      if (applied.length === 0 && refused.length > 0) {
        throw ApplicationFailure.create({
          type: FailureType.PinPlanStale,
          message: refused.map((r) => `${r.repo}: ${r.reason}`).join('; '),
          nonRetryable: true,
        });
      }
      const effects: ActionEffects = {
        pullRequests: applied,
        // Pin pull requests the incident now has open, whether this attempt opened them or an earlier attempt of
        // the same step did (one that timed out after opening them): the count an incident report wants.
        opened: applied.length,
        createdThisAttempt: applied.filter((a) => a.pullRequest === 'created').length,
        updated: applied.filter((a) => a.pullRequest === 'updated').length,
        refused,
        byHand: details.byHand,
      };
      return effects;
    },
  };
}

/**
 * `github.closePinPullRequests`, the undo of `github.openPinPullRequests`: closes each pull request it opened and
 * deletes its branch. Already closed pull requests and deleted branches are skipped, so a retry is harmless.
 */
export function closePinPullRequests({ octokit }: { octokit: GitHubClient }): ActionHandler {
  const undo = async (effects: ActionEffects): Promise<ActionEffects> => {
    const closed: Array<{ repo: string; number: number }> = [];
    for (const pr of (effects.pullRequests as PinApplied[] | undefined) ?? []) {
      const params = repoParams(pr.repo);
      const got = await getIfPresent(`get ${pr.repo}#${pr.number}`, () =>
        octokit.rest.pulls.get({ ...params, pull_number: pr.number }),
      );
      if (got && got.data.state === 'open') {
        await call(`close ${pr.repo}#${pr.number}`, () =>
          octokit.rest.pulls.update({ ...params, pull_number: pr.number, state: 'closed' }),
        );
        closed.push({ repo: pr.repo, number: pr.number });
      }
      // GitHub answers 422 "Reference does not exist" for a branch already deleted: look before deleting.
      const branch = await getIfPresent(`get ${pr.repo} ${pr.branch}`, () =>
        octokit.rest.git.getRef({ ...params, ref: `heads/${pr.branch}` }),
      );
      if (branch)
        await changeIfPresent(`delete ${pr.repo} ${pr.branch}`, () =>
          octokit.rest.git.deleteRef({ ...params, ref: `heads/${pr.branch}` }),
        );
    }
    return { closed: closed.length, pullRequests: closed };
  };
  return { undo };
}
