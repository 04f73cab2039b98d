import { normalizePackageName, parseEcosystem, type LockfileEcosystem } from '../../domain/advisory';
import type { GitHubClient } from './client';
import { mapLimit } from './concurrency';
import { hasStatus } from './errors';
import { lockfileEcosystem, sbomCovers } from '../../lockfiles';
import { fetchSbomPackages } from './sbom';
import { walkTree } from './tree-walk';
import type { LockfileRef, LockfileText, PackageRef, RepoLockfileScan, SbomPackage, SkippedLockfile } from './types';

/** Input of one repository's lockfile scan. */
export interface ScanRepoLockfilesInput {
  owner: string;
  repo: string;
  /** Branch, tag or commit SHA. @default the repository's default branch (costs one request to look up) */
  ref?: string;
  /**
   * The advisory's packages. When given, only lockfiles of their ecosystems are read, the SBOM may vouch for
   * lockfiles, and texts that do not mention any of them are not returned. @default all lockfiles, all texts
   */
  packages?: PackageRef[];
  /** `auto`: ask the dependency-graph SBOM when it can save at least one request. @default 'auto' */
  sbom?: 'auto' | 'never';
  /** Texts above this size are reported `too-large` instead of returned (Temporal payloads are capped). @default 1_500_000 */
  maxTextBytes?: number;
}

const SBOM_TYPE: Record<string, LockfileEcosystem> = { npm: 'npm', pypi: 'PyPI', cargo: 'crates.io' };

/**
 * Finds a repository's lockfiles with one recursive tree request and reads only those (raw blobs by SHA, so the
 * text is exactly the tree's). With advisory packages the scan reads less: other ecosystems are skipped, and when
 * two or more lockfiles would be read, one SBOM request can show none of the packages is present.
 */
export async function scanRepoLockfiles(
  octokit: GitHubClient,
  input: ScanRepoLockfilesInput,
): Promise<Omit<RepoLockfileScan, 'apiCalls'>> {
  const { owner, repo } = input;
  const where = { owner, repo };
  const ref = input.ref ?? (await octokit.request('GET /repos/{owner}/{repo}', where)).data.default_branch;
  const base = { repo: `${owner}/${repo}`, ref };
  let walked;
  try {
    walked = await walkTree(octokit, where, ref);
  } catch (err) {
    // An empty repository has no tree: https://docs.github.com/rest/git/trees#get-a-tree answers 409.
    if (hasStatus(err, 409))
      return { ...base, treeSha: null, truncatedTree: false, lockfiles: [], skipped: [], sbom: 'unused' };
    throw err;
  }
  const found: LockfileRef[] = walked.items.flatMap((i) => {
    const ecosystem = i.type === 'blob' ? lockfileEcosystem(i.path) : undefined;
    return ecosystem ? [{ path: i.path, sha: i.sha, size: i.size, ecosystem }] : [];
  });
  found.sort((a, b) => a.path.localeCompare(b.path));
  const skipped: SkippedLockfile[] = [];
  const skip = (f: LockfileRef, reason: SkippedLockfile['reason']) =>
    skipped.push({ path: f.path, sha: f.sha, ecosystem: f.ecosystem, reason });

  const packages = (input.packages ?? []).flatMap((p) => {
    const ecosystem = parseEcosystem(p.ecosystem);
    return ecosystem ? [{ ecosystem, name: p.name }] : [];
  });
  const wanted = input.packages ? new Set(packages.map((p) => p.ecosystem)) : undefined;
  let toRead = found.filter((f) => {
    if (!wanted || wanted.has(f.ecosystem)) return true;
    skip(f, 'other-ecosystem');
    return false;
  });

  let sbom: RepoLockfileScan['sbom'] = 'unused';
  if (input.packages && (input.sbom ?? 'auto') === 'auto' && toRead.filter((f) => sbomCovers(f.path)).length >= 2) {
    const listed = await fetchSbomPackages(octokit, owner, repo);
    if (!listed) sbom = 'unavailable';
    else if (sbomMentions(listed, packages)) sbom = 'mentions';
    else {
      sbom = 'clean';
      toRead = toRead.filter((f) => {
        if (!sbomCovers(f.path)) return true;
        skip(f, 'sbom-clean');
        return false;
      });
    }
  }

  const maxBytes = input.maxTextBytes ?? 1_500_000;
  const mentions = packages.map(mentionPattern);
  const texts = await mapLimit(toRead, 4, async (f): Promise<LockfileText | undefined> => {
    if (f.size > maxBytes) return void skip(f, 'too-large');
    const text = await readBlob(octokit, where, f.sha);
    if (input.packages && !mentions.some((re) => re.test(text))) return void skip(f, 'no-mention');
    return { path: f.path, sha: f.sha, text, ecosystem: f.ecosystem };
  });
  return {
    ...base,
    treeSha: walked.sha,
    truncatedTree: walked.truncated,
    lockfiles: texts.filter((t): t is LockfileText => t !== undefined),
    skipped: skipped.sort((a, b) => a.path.localeCompare(b.path)),
    sbom,
  };
}

/** A blob's exact bytes as UTF-8 text, via the raw media type (no base64 inflation, up to 100 MB). */
async function readBlob(octokit: GitHubClient, where: { owner: string; repo: string }, sha: string): Promise<string> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
    ...where,
    file_sha: sha,
    mediaType: { format: 'raw' },
  });
  const raw = data as unknown;
  if (typeof raw === 'string') return raw;
  if (raw instanceof ArrayBuffer) return new TextDecoder().decode(raw);
  throw new Error(`unexpected blob payload for ${sha}`);
}

function sbomMentions(listed: SbomPackage[], packages: Array<{ ecosystem: LockfileEcosystem; name: string }>): boolean {
  return listed.some((p) => {
    const ecosystem = SBOM_TYPE[p.type];
    return (
      ecosystem !== undefined &&
      packages.some(
        (a) =>
          a.ecosystem === ecosystem &&
          normalizePackageName(ecosystem, a.name) === normalizePackageName(ecosystem, p.name),
      )
    );
  });
}

/**
 * A pattern that every lockfile locking the package must contain: npm names appear verbatim in every npm lockfile
 * format; PyPI and crates.io names may be spelled with other separators or case (PEP 503), so those are loosened.
 */
function mentionPattern(p: { ecosystem: LockfileEcosystem; name: string }): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  if (p.ecosystem === 'npm') return new RegExp(escape(p.name));
  const parts = p.name.split(/[-_.]+/).map(escape);
  return new RegExp(parts.join(p.ecosystem === 'PyPI' ? '[-_.]+' : '[-_]'), 'i');
}
