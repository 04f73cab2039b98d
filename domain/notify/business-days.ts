import type { BusinessCalendar, DeadlineRule } from './schema';

const HOUR_MS = 3_600_000;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock date and time of an instant in a time zone (Intl does the zone rules; no library needed). */
function localParts(ms: number, timeZone: string): LocalParts {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** The instant a wall-clock time in a zone names (the first one, when a DST fold makes it ambiguous). */
function zonedToUtc(local: LocalParts, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  // Two passes settle the zone's offset at that instant, across a DST change too.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const p = localParts(guess, timeZone);
    const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - guess;
    guess = asUtc - offset;
  }
  return guess;
}

const isoDate = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Whether a calendar date (proleptic, UTC arithmetic) is a business day of the calendar. */
export function isBusinessDay(date: string, calendar: BusinessCalendar): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return !calendar.weekend.includes(weekday) && !calendar.holidays.includes(date);
}

/**
 * The end (23:59:59 local time) of the `days`-th business day after the local date of `startMs`. The start day
 * itself never counts, so a notice due in 1 business day from a Friday evening is due at the end of Monday.
 */
export function addBusinessDays(startMs: number, days: number, calendar: BusinessCalendar): number {
  const start = localParts(startMs, calendar.timeZone);
  const cursor = new Date(Date.UTC(start.year, start.month - 1, start.day));
  let counted = 0;
  // A year of holidays cannot hold more than 366 non-business days in a row: stop a bad calendar from looping.
  for (let guard = 0; counted < days && guard < days + 3660; guard++) {
    cursor.setUTCDate(cursor.getUTCDate() + 1);
    const date = isoDate(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, cursor.getUTCDate());
    if (isBusinessDay(date, calendar)) counted++;
  }
  if (counted < days) throw new RangeError(`calendar ${calendar.timeZone} has no business days to count`);
  return zonedToUtc(
    {
      year: cursor.getUTCFullYear(),
      month: cursor.getUTCMonth() + 1,
      day: cursor.getUTCDate(),
      hour: 23,
      minute: 59,
      second: 59,
    },
    calendar.timeZone,
  );
}

/** When an obligation is due, given when its clock started. Pure: the workflow computes it deterministically. */
export function deadlineFor(rule: DeadlineRule, clockStartMs: number, calendar: BusinessCalendar): number {
  if ('hours' in rule) return clockStartMs + Math.round(rule.hours * HOUR_MS);
  return addBusinessDays(clockStartMs, rule.businessDays, calendar);
}
