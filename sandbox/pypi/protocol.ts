// PyPI's protocols as the sandbox index serves them, written from the specifications for the sandbox alone (it
// imports nothing of cordon, so a client that misreads them is caught): project names per PEP 503, and the JSON API's
// documents (https://docs.pypi.org/api/json/).

/**
 * A project's name as the index keys it: PEP 503 says lowercase it and replace every run of `-`, `_` and `.` with a
 * single `-` (https://peps.python.org/pep-0503/#normalized-names).
 */
export function canonicalProjectName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** One distribution file of a release, as the JSON API lists it under `releases` and `urls`. */
export interface JsonApiFile {
  filename: string;
  url: string;
  /** `bdist_wheel`, `sdist`, … */
  packagetype: string;
  digests: { sha256: string; md5?: string; blake2b_256?: string };
  size?: number;
  upload_time_iso_8601: string;
  requires_python?: string | null;
  yanked: boolean;
  yanked_reason?: string | null;
}

/** `GET /pypi/{project}/json`: the project's latest info and every release's files. */
export interface JsonApiProject {
  info: { name: string; version: string };
  releases: Record<string, JsonApiFile[]>;
}
