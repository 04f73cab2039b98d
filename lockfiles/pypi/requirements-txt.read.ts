import { pypiValidSpecifier } from '../../domain/versions';
import type { LockedPackage, LockfileParseResult, LockfileProblem, LooseRequirement } from '../types';

/** A `-r other.txt` line: another requirements file this one pulls in, relative to this file's folder. */
export interface RequirementsInclude {
  path: string;
  line: number;
}

/** What a requirements file holds: pinned packages, loose requirements, and the files it includes. */
export interface RequirementsParseResult extends LockfileParseResult {
  includes: RequirementsInclude[];
}

/**
 * pip requirements files (https://pip.pypa.io/en/stable/reference/requirements-file-format/). `name==1.0` (or
 * `===1.0`) is pinned and reported as a package; anything else (`>=`, `~=`, `==2.*`, no specifier) is a loose
 * requirement, matched as "could resolve to an affected version". Handles comments, `\` continuations, extras,
 * environment markers, per-requirement options (`--hash`, `-C`), and lists `-r` includes for the caller to follow
 * (a parser does no I/O). Direct references (`name @ url`), paths, URLs and editables name no registry version and are
 * skipped. pip-compile's `# via` annotations tell direct from transitive.
 */
export function parseRequirementsTxt(_path: string, text: string): RequirementsParseResult {
  const packages: LockedPackage[] = [];
  const requirements: LooseRequirement[] = [];
  const problems: LockfileProblem[] = [];
  const includes: RequirementsInclude[] = [];
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  let last: LockedPackage | undefined;
  let vias: string[] | undefined;
  const settle = (): void => {
    if (last && vias) last.direct = vias.some((v) => v.startsWith('-r ') || v.startsWith('--requirement'));
    last = undefined;
    vias = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    let logical = lines[i] as string;
    const via = /^\s*#\s+(via\s+)?(\S.*)$/.exec(logical);
    if (via && last) {
      // `# via a` or `# via` followed by `#   a` lines, right under the requirement they annotate.
      if (via[1] || vias) (vias ??= []).push((via[2] as string).replace(/^via\s*/, ''));
      if (via[2] === 'via') vias ??= [];
      continue;
    }
    while (logical.endsWith('\\') && i + 1 < lines.length)
      logical = logical.slice(0, -1) + ' ' + (lines[++i] as string);
    const content = logical.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') continue;
    settle();
    if (content.startsWith('-')) {
      const include = /^(?:-r|--requirement)(?:\s*=\s*|\s+)(\S+)/.exec(content);
      if (include) includes.push({ path: include[1] as string, line });
      continue;
    }
    const requirement = readRequirement(content);
    if (requirement === undefined) continue;
    if (typeof requirement === 'string') {
      problems.push({ line, message: requirement });
      continue;
    }
    const { name, pinned, specifier } = requirement;
    if (pinned !== undefined) {
      if (pinned === '') continue;
      last = { ecosystem: 'PyPI', name, version: pinned, line, direct: true };
      packages.push(last);
    } else {
      requirements.push({ ecosystem: 'PyPI', name, specifier, line });
    }
  }
  settle();
  return { packages, requirements, problems, includes };
}

/** One requirement line: name and either a pinned version or a specifier; undefined to skip; a string if unreadable. */
function readRequirement(content: string): { name: string; pinned?: string; specifier: string } | string | undefined {
  if (/^[./~]|^[a-z][a-z0-9+.-]*:\/\//i.test(content) || /\.(?:whl|zip|tar\.gz|tgz)$/i.test(content)) return undefined;
  // Per-requirement options start at the first whitespace-preceded dash (`--hash=…`, `-C bar`); text after is theirs.
  const withoutOptions = content.split(/\s+-{1,2}[A-Za-z]/)[0] as string;
  const withoutMarker = withoutOptions.split(';')[0] as string;
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*(.*)$/.exec(withoutMarker.trim());
  if (!m) return `expected a requirement (name[extras] specifier), found "${content}"`;
  const name = m[1] as string;
  let specifier = (m[2] as string).trim();
  if (specifier.startsWith('@')) return undefined;
  if (specifier.startsWith('(') && specifier.endsWith(')')) specifier = specifier.slice(1, -1).trim();
  const pin = /^===?\s*([^,*\s][^,*]*)$/.exec(specifier);
  if (pin) return { name, pinned: (pin[1] as string).trim(), specifier };
  if (/^===?\s*$/.test(specifier)) return { name, pinned: '', specifier };
  if (!pypiValidSpecifier(specifier)) return `"${specifier}" is not a PEP 440 version specifier (requirement ${name})`;
  return { name, specifier };
}
