import { isMap } from 'yaml';
import { hashJson } from '../canonical-json';
import { parseDuration } from '../duration';
import { byPosition, parseWithPositions, type PathKey, type YamlProblem } from '../text/yaml-positions';
import { ObligationsFileSchema, type CompiledObligations, type ObligationsFile } from './schema';

/** The result of loading an obligations file: the compiled obligations, or every problem with its line and column. */
export type ObligationsResult = { ok: true; obligations: CompiledObligations } | { ok: false; problems: YamlProblem[] };

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses and validates an obligations file (YAML). Never throws on bad input: every problem is returned as
 * `file:line:col` like a playbook's, so a team editing its obligations hears about each mistake at once.
 */
export function loadObligations(text: string, file: string): ObligationsResult {
  const yaml = parseWithPositions(text, file);
  const { doc } = yaml;
  const problems: YamlProblem[] = [];
  const at = (path: readonly PathKey[], message: string): void => {
    problems.push(yaml.problemAt(path, message));
  };
  if (doc.errors.length > 0) return { ok: false, problems: yaml.syntaxProblems() };
  if (!isMap(doc.contents)) {
    return {
      ok: false,
      problems: [
        { file, line: 1, col: 1, path: '', message: 'expected a mapping (apiVersion, kind, parties, obligations)' },
      ],
    };
  }
  const parsed = ObligationsFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    problems.push(...yaml.issueProblems(parsed.error.issues));
    return { ok: false, problems };
  }
  checkSemantics(parsed.data, at);
  if (problems.length > 0) return { ok: false, problems: byPosition(problems) };
  return { ok: true, obligations: compile(parsed.data) };
}

function checkSemantics(f: ObligationsFile, at: (path: PathKey[], message: string) => void): void {
  if (!validTimeZone(f.calendar.timeZone))
    at(
      ['calendar', 'timeZone'],
      `unknown time zone "${f.calendar.timeZone}" (expected an IANA name such as Europe/Berlin)`,
    );
  if (f.calendar.weekend.length >= 7) at(['calendar', 'weekend'], 'every day of the week is a weekend day');
  const seen = new Map<string, number>();
  f.obligations.forEach((o, i) => {
    if (seen.has(o.id))
      at(['obligations', i, 'id'], `duplicate obligation id "${o.id}" (first at obligations[${seen.get(o.id)}])`);
    else seen.set(o.id, i);
    if (!f.parties[o.who])
      at(['obligations', i, 'who'], `unknown party "${o.who}" (parties: ${Object.keys(f.parties).sort().join(', ')})`);
    if ('hours' in o.deadline) {
      const deadlineMs = o.deadline.hours * 3_600_000;
      o.reminders.forEach((r, j) => {
        if (parseDuration(r) >= deadlineMs)
          at(['obligations', i, 'reminders', j], `reminder ${r} before the deadline is not after the clock starts`);
      });
    }
  });
}

function compile(f: ObligationsFile): CompiledObligations {
  const body = {
    calendar: { timeZone: f.calendar.timeZone, weekend: f.calendar.weekend, holidays: [...f.calendar.holidays].sort() },
    parties: f.parties,
    obligations: f.obligations.map((o) => ({
      id: o.id,
      description: o.description,
      who: o.who,
      partyName: f.parties[o.who]!.name,
      trigger: o.trigger,
      clockStart: o.clockStart,
      deadline: o.deadline,
      reminderOffsetsMs: o.reminders.map(parseDuration).sort((a, b) => b - a),
      owner: o.owner,
      ...(o.escalateTo ? { escalateTo: o.escalateTo } : {}),
      acknowledgement: o.acknowledgement,
      channels: f.parties[o.who]!.channels,
    })),
  };
  return { ...body, sha256: hashJson(body) };
}
