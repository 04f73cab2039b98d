import { parseDuration } from '../../../domain/duration';

describe('parseDuration', () => {
  it('reads playbook durations and refuses anything else', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });
});
