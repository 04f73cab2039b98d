import { createHash } from 'node:crypto';
import { GitHubHttpError } from '../errors';
import { ok, type RouteTable } from '../handler';

/** The ecosystem prefix GitHub puts on SBOM package names (`npm:lodash`, `pip:requests`, `rust:serde`). */
const NAME_PREFIX: Record<string, string> = { npm: 'npm', pypi: 'pip', cargo: 'rust' };

/** A package URL as GitHub's SBOM export writes it (scoped npm names percent-encode the `@`). */
export function purl(ecosystem: string, name: string, version: string): string {
  const encoded = name.startsWith('@') ? `%40${name.slice(1)}` : name;
  return `pkg:${ecosystem}/${encoded}@${version}`;
}

/**
 * SPDX 2.3 export of the dependency graph. Repositories without the dependency graph answer 404, as GitHub does
 * when it is disabled. https://docs.github.com/rest/dependency-graph/sboms#export-a-software-bill-of-materials-sbom-for-a-repository
 */
export const sbomRoutes: RouteTable = {
  'dependency-graph/export-sbom': (ctx) => {
    const repo = ctx.repo();
    if (!repo.dependencyGraph) throw new GitHubHttpError(404, 'Not Found');
    const full = `${ctx.state.org.login}/${repo.name}`;
    const rootId = `SPDXRef-com.github.${full.replace('/', '-')}`;
    const packages = repo.dependencyGraph.packages.map((p) => ({
      SPDXID: `SPDXRef-${p.ecosystem}-${p.name.replace(/[^A-Za-z0-9.-]/g, '-')}-${p.version}`,
      name: `${NAME_PREFIX[p.ecosystem] ?? p.ecosystem}:${p.name}`,
      versionInfo: p.version,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      supplier: 'NOASSERTION',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceLocator: purl(p.ecosystem, p.name, p.version),
          referenceType: 'purl',
        },
      ],
    }));
    const root = {
      SPDXID: rootId,
      name: `com.github.${full}`,
      versionInfo: repo.defaultBranch,
      downloadLocation: `git+https://github.com/${full}`,
      filesAnalyzed: false,
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceLocator: `pkg:github/${full}@${repo.defaultBranch}`,
          referenceType: 'purl',
        },
      ],
    };
    const namespace = createHash('sha256').update(full).digest('hex').slice(0, 32);
    return ok({
      sbom: {
        SPDXID: 'SPDXRef-DOCUMENT',
        spdxVersion: 'SPDX-2.3',
        creationInfo: {
          created: ctx
            .now()
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z'),
          creators: ['Tool: GitHub.com-Dependency-Graph'],
        },
        name: `com.github.${full}`,
        dataLicense: 'CC0-1.0',
        documentNamespace: `https://spdx.org/spdxdocs/protobom/${namespace}`,
        packages: [root, ...packages],
        relationships: [
          { relationshipType: 'DESCRIBES', spdxElementId: 'SPDXRef-DOCUMENT', relatedSpdxElement: rootId },
          ...packages.map((p) => ({
            relationshipType: 'DEPENDS_ON',
            spdxElementId: rootId,
            relatedSpdxElement: p.SPDXID,
          })),
        ],
      },
    });
  },
};
