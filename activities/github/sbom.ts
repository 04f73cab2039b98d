import type { GitHubClient } from './client';
import { hasStatus } from './errors';
import type { SbomPackage } from './types';

/**
 * The packages of a repository's dependency-graph SBOM (SPDX), or undefined when the dependency graph is not
 * enabled (404). One request however many lockfiles the repository has.
 * https://docs.github.com/rest/dependency-graph/sboms#export-a-software-bill-of-materials-sbom-for-a-repository
 */
export async function fetchSbomPackages(
  octokit: GitHubClient,
  owner: string,
  repo: string,
): Promise<SbomPackage[] | undefined> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/dependency-graph/sbom', { owner, repo });
    return data.sbom.packages.flatMap((p) => {
      const ref = (p.externalRefs ?? []).find((r) => r.referenceType === 'purl');
      const parsed = ref ? parsePurl(ref.referenceLocator) : undefined;
      return parsed ? [parsed] : [];
    });
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw err;
  }
}

/** Parses `pkg:type/namespace/name@version` (https://github.com/package-url/purl-spec); scoped npm names keep their `@`. */
export function parsePurl(purl: string): SbomPackage | undefined {
  const m = /^pkg:([^/]+)\/(.+?)(?:@([^?#]*))?(?:[?#].*)?$/.exec(purl);
  if (!m) return undefined;
  const [, type = '', path = '', version = ''] = m;
  const name = path
    .split('/')
    .map((s) => decodeURIComponent(s))
    .join('/');
  return { type: type.toLowerCase(), name, version: decodeURIComponent(version), purl };
}
