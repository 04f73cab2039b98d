/** A half-open or closed interval of epoch milliseconds parsed from GitHub's date search syntax. */
export interface DateRange {
  from?: number;
  fromInclusive: boolean;
  to?: number;
  toInclusive: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DAY_MS = 86_400_000;

/**
 * Parses the `created` filter of "List workflow runs": `>=2026-06-17`, `<2026-06-18T10:00:00Z`, `a..b`, `a..*`,
 * `*..b`, or a bare date (that whole UTC day). Returns undefined when the text is not valid syntax.
 * https://docs.github.com/search-github/getting-started-with-searching-on-github/understanding-the-search-syntax#query-for-dates
 */
export function parseDateRange(text: string): DateRange | undefined {
  // A `+hh:mm` offset arrives as a space when a client form-encodes the query without escaping `+`.
  const t = text.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const range = /^(.+?)\.\.(.+)$/.exec(t);
  if (range) {
    const [, a = '', b = ''] = range;
    const from = a === '*' ? undefined : parseBound(a, 'start');
    const to = b === '*' ? undefined : parseBound(b, 'end');
    if ((a !== '*' && from === undefined) || (b !== '*' && to === undefined)) return undefined;
    return {
      ...(from === undefined ? {} : { from }),
      fromInclusive: true,
      ...(to === undefined ? {} : { to }),
      toInclusive: true,
    };
  }
  const op = /^(>=|<=|>|<)?(.+)$/.exec(t);
  if (!op) return undefined;
  const [, operator, value = ''] = op;
  switch (operator) {
    case '>=':
      return ifDefined(parseBound(value, 'start'), (from) => ({ from, fromInclusive: true, toInclusive: true }));
    case '>':
      return ifDefined(parseBound(value, 'end'), (from) => ({ from, fromInclusive: false, toInclusive: true }));
    case '<=':
      return ifDefined(parseBound(value, 'end'), (to) => ({ to, fromInclusive: true, toInclusive: true }));
    case '<':
      return ifDefined(parseBound(value, 'start'), (to) => ({ to, fromInclusive: true, toInclusive: false }));
    default: {
      const from = parseBound(value, 'start');
      const to = parseBound(value, 'end');
      if (from === undefined || to === undefined) return undefined;
      return { from, fromInclusive: true, to, toInclusive: true };
    }
  }
}

/** Whether `ms` lies inside the range. */
export function inDateRange(range: DateRange, ms: number): boolean {
  if (range.from !== undefined && (range.fromInclusive ? ms < range.from : ms <= range.from)) return false;
  if (range.to !== undefined && (range.toInclusive ? ms > range.to : ms >= range.to)) return false;
  return true;
}

/** A bare date stands for the whole UTC day: its first millisecond as a start, its last as an end. */
function parseBound(value: string, edge: 'start' | 'end'): number | undefined {
  if (DATE.test(value)) {
    const day = Date.parse(`${value}T00:00:00Z`);
    if (Number.isNaN(day)) return undefined;
    return edge === 'start' ? day : day + DAY_MS - 1;
  }
  if (!DATE_TIME.test(value)) return undefined;
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

function ifDefined<T>(value: number | undefined, f: (v: number) => T): T | undefined {
  return value === undefined ? undefined : f(value);
}
