import type { JsonApiFile, JsonApiProject } from './protocol';
import { buildWheel, wheelFilename, wheelSha256, type WheelMetadata } from './wheel';

/** One release the sandbox index serves: its version, when it was uploaded, and what it depends on. */
export interface SandboxRelease {
  version: string;
  uploaded: string;
  requiresDist?: string[];
  requiresPython?: string;
  yanked?: string;
}

/** A project the sandbox index serves, by its name as published. */
export interface SandboxProject {
  name: string;
  releases: SandboxRelease[];
}

/**
 * The projects seeded by default. num2words is the real PyPI compromise of July 2025 (OSV MAL-2025-6794, in
 * `../shared/data/osv/pypi`): 0.5.15 and 0.5.16 were uploaded with a phished maintainer's token; 0.5.14, from
 * December 2024, is the last good release. The others are the benign packages the org generator writes into
 * requirements files, each with its previous release.
 */
export const SEEDED_PROJECTS: SandboxProject[] = [
  {
    name: 'num2words',
    releases: [
      { version: '0.5.13', uploaded: '2023-10-18T12:00:00Z', requiresDist: ['docopt>=0.6.2'] },
      { version: '0.5.14', uploaded: '2024-12-17T12:00:00Z', requiresDist: ['docopt>=0.6.2'] },
      { version: '0.5.15', uploaded: '2025-07-28T01:00:00Z', requiresDist: ['docopt>=0.6.2'] },
      { version: '0.5.16', uploaded: '2025-07-28T05:00:00Z', requiresDist: ['docopt>=0.6.2'] },
    ],
  },
  { name: 'docopt', releases: [{ version: '0.6.2', uploaded: '2014-06-16T11:18:57Z' }] },
  {
    name: 'requests',
    releases: [
      {
        version: '2.32.2',
        uploaded: '2024-05-21T18:51:43Z',
        requiresDist: ['urllib3<3,>=1.21.1', 'idna<4,>=2.5'],
      },
      {
        version: '2.32.3',
        uploaded: '2024-05-29T15:37:47Z',
        requiresDist: ['urllib3<3,>=1.21.1', 'idna<4,>=2.5'],
      },
    ],
  },
  {
    name: 'urllib3',
    releases: [
      { version: '2.2.1', uploaded: '2024-02-18T19:07:00Z' },
      { version: '2.2.2', uploaded: '2024-06-17T16:41:54Z' },
    ],
  },
  {
    name: 'idna',
    releases: [
      { version: '3.6', uploaded: '2023-11-25T15:40:54Z' },
      { version: '3.7', uploaded: '2024-04-11T03:34:24Z' },
    ],
  },
  { name: 'flask', releases: [{ version: '3.0.3', uploaded: '2024-04-07T19:26:08Z' }] },
  { name: 'pydantic', releases: [{ version: '2.8.2', uploaded: '2024-07-04T19:37:36Z' }] },
];

/** The wheel metadata of a release. */
export function wheelOf(name: string, r: SandboxRelease): WheelMetadata {
  return {
    name,
    version: r.version,
    ...(r.requiresDist ? { requiresDist: r.requiresDist } : {}),
    ...(r.requiresPython ? { requiresPython: r.requiresPython } : {}),
  };
}

/** A release's one file (a wheel), as the JSON API lists it. */
export function fileOf(url: string, name: string, r: SandboxRelease): JsonApiFile {
  const m = wheelOf(name, r);
  return {
    filename: wheelFilename(m),
    url: `${url}/packages/${wheelFilename(m)}`,
    packagetype: 'bdist_wheel',
    digests: { sha256: wheelSha256(m) },
    size: buildWheel(m).length,
    upload_time_iso_8601: r.uploaded,
    requires_python: r.requiresPython ?? null,
    yanked: r.yanked !== undefined,
    yanked_reason: r.yanked ?? null,
  };
}

/** The JSON API's project document for a sandbox project. */
export function projectDocument(url: string, p: SandboxProject): JsonApiProject {
  const latest = p.releases.filter((r) => r.yanked === undefined).at(-1) ?? p.releases.at(-1);
  return {
    info: { name: p.name, version: latest?.version ?? '' },
    releases: Object.fromEntries(p.releases.map((r) => [r.version, [fileOf(url, p.name, r)]])),
  };
}

/** The bytes of a wheel the sandbox serves, by file name. */
export function wheelBytes(projects: Iterable<SandboxProject>, filename: string): Buffer | undefined {
  for (const p of projects)
    for (const r of p.releases)
      if (wheelFilename(wheelOf(p.name, r)) === filename) return buildWheel(wheelOf(p.name, r));
  return undefined;
}

/**
 * `projects` without one release: the index as it was before that release was uploaded. Without num2words 0.5.16,
 * a fresh lock takes the bad 0.5.15, as a project locked the day it came out did.
 */
export function projectsWithout(name: string, version: string, projects = SEEDED_PROJECTS): SandboxProject[] {
  return projects.map((p) =>
    p.name === name ? { ...p, releases: p.releases.filter((r) => r.version !== version) } : p,
  );
}
