import { addBusinessDays, deadlineFor, isBusinessDay, type BusinessCalendar } from '../../../../domain/notify';

const utc: BusinessCalendar = { timeZone: 'UTC', weekend: [0, 6], holidays: [] };
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('business days', () => {
  it('skips the weekend: 1 business day from a Friday evening is the end of Monday', () => {
    // 2026-11-20 is a Friday.
    expect(iso(addBusinessDays(at('2026-11-20T18:00:00Z'), 1, utc))).toBe('2026-11-23T23:59:59.000Z');
  });

  it('skips listed holidays', () => {
    const cal = { ...utc, holidays: ['2026-12-24', '2026-12-25'] };
    // Wednesday 23 Dec + 1 business day: 24 and 25 are holidays, 26/27 the weekend → Monday 28.
    expect(iso(addBusinessDays(at('2026-12-23T10:00:00Z'), 1, cal))).toBe('2026-12-28T23:59:59.000Z');
    expect(isBusinessDay('2026-12-25', cal)).toBe(false);
    expect(isBusinessDay('2026-12-28', cal)).toBe(true);
  });

  it('counts days in the calendar time zone, DST included', () => {
    const berlin = { ...utc, timeZone: 'Europe/Berlin' };
    // 23:30 UTC on Friday 2026-11-20 is already Saturday in Berlin: the next business day is Monday, then Tuesday.
    expect(iso(addBusinessDays(at('2026-11-20T23:30:00Z'), 2, berlin))).toBe('2026-11-24T22:59:59.000Z');
    // Friday 2026-10-23 + 2 business days = Tuesday 27 Oct, after the switch to CET (UTC+1) on the 25th.
    expect(iso(addBusinessDays(at('2026-10-23T09:00:00Z'), 2, berlin))).toBe('2026-10-27T22:59:59.000Z');
    // Summer time: end of Monday 2026-06-22 in Berlin is 21:59:59 UTC.
    expect(iso(addBusinessDays(at('2026-06-19T09:00:00Z'), 1, berlin))).toBe('2026-06-22T21:59:59.000Z');
  });

  it('hours are plain elapsed time, fractions included', () => {
    expect(iso(deadlineFor({ hours: 72 }, at('2026-11-20T18:00:00Z'), utc))).toBe('2026-11-23T18:00:00.000Z');
    expect(deadlineFor({ hours: 0.001 }, 0, utc)).toBe(3600);
  });

  it('refuses a calendar with no business day instead of looping', () => {
    expect(() => addBusinessDays(0, 1, { ...utc, weekend: [0, 1, 2, 3, 4, 5, 6] })).toThrow(RangeError);
  });
});
