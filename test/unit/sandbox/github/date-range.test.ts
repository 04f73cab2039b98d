import { inDateRange, parseDateRange } from '../../../../sandbox/github';

// https://docs.github.com/search-github/getting-started-with-searching-on-github/understanding-the-search-syntax#query-for-dates
describe('GitHub date search syntax', () => {
  const at = (iso: string) => Date.parse(iso);
  const within = (syntax: string, iso: string) => {
    const range = parseDateRange(syntax);
    if (!range) throw new Error(`did not parse ${syntax}`);
    return inDateRange(range, at(iso));
  };

  it('reads a bare date as that whole UTC day', () => {
    expect(within('2026-06-17', '2026-06-17T00:00:00Z')).toBe(true);
    expect(within('2026-06-17', '2026-06-17T23:59:59.999Z')).toBe(true);
    expect(within('2026-06-17', '2026-06-18T00:00:00Z')).toBe(false);
  });

  it('reads comparisons against dates and times', () => {
    expect(within('>=2026-06-17', '2026-06-17T00:00:00Z')).toBe(true);
    expect(within('>2026-06-17', '2026-06-17T12:00:00Z')).toBe(false);
    expect(within('>2026-06-17', '2026-06-18T00:00:00Z')).toBe(true);
    expect(within('<2026-06-17T04:15:00Z', '2026-06-17T04:14:59Z')).toBe(true);
    expect(within('<=2026-06-17T04:15:00+00:00', '2026-06-17T04:15:00Z')).toBe(true);
  });

  it('reads inclusive ranges, open on either side with *', () => {
    expect(within('2026-06-17T04:00:00Z..2026-06-18T04:00:00Z', '2026-06-18T04:00:00Z')).toBe(true);
    expect(within('2026-06-17T04:00:00Z..2026-06-18T04:00:00Z', '2026-06-18T04:00:01Z')).toBe(false);
    expect(within('2026-06-17..*', '2030-01-01T00:00:00Z')).toBe(true);
    expect(within('*..2026-06-17', '2026-06-17T23:00:00Z')).toBe(true);
  });

  it('refuses what is not the syntax', () => {
    for (const bad of ['yesterday', '2026-13', '>=', '2026-06-17..later']) expect(parseDateRange(bad)).toBeUndefined();
  });
});
