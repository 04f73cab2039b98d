// Free text people give cordon has a size: refused over the limit with the limit named, clipped in notices.
import { clipText, firstOverLimit, LIMITS, NOTICE_TEXT_MAX_BYTES, overLimit, utf8Length } from '../../../domain/limits';

describe('limits', () => {
  it('accepts text up to the limit and absent text', () => {
    expect(overLimit('reason', 'x'.repeat(LIMITS.reason.max))).toBeUndefined();
    expect(overLimit('title', 'é'.repeat(LIMITS.title.max))).toBeUndefined();
    expect(overLimit('note', undefined)).toBeUndefined();
  });

  it('refuses a 1 MB reason naming the field, its size and the limit', () => {
    expect(overLimit('reason', 'x'.repeat(1_200_000))).toBe('reason is 1200000 bytes; the limit is 4096 bytes');
  });

  it('counts reasons and notes in UTF-8 bytes, titles and references in characters', () => {
    // 2000 two-byte characters: 4000 bytes, fits; 2100: 4200 bytes, does not.
    expect(overLimit('note', 'é'.repeat(2000))).toBeUndefined();
    expect(overLimit('note', 'é'.repeat(2100))).toBe('note is 4200 bytes; the limit is 4096 bytes');
    expect(overLimit('reference', '🔒'.repeat(201))).toBe('reference is 201 characters; the limit is 200 characters');
  });

  it('names the first field over its limit', () => {
    expect(firstOverLimit({ reference: 'REF-1', note: 'n'.repeat(5000) })).toMatch(/^note is 5000 bytes/);
    expect(firstOverLimit({ reference: 'REF-1', note: 'fine' })).toBeUndefined();
  });

  it('measures UTF-8 like Buffer does', () => {
    for (const s of ['', 'abc', 'é', '€', '🔒', 'a€🔒é']) expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });

  it('clips notice text to the cap on a character boundary, saying how much was cut', () => {
    expect(clipText('short')).toBe('short');
    const long = `rejected by bob: ${'🔒'.repeat(300_000)}`;
    const clipped = clipText(long);
    expect(Buffer.byteLength(clipped, 'utf8')).toBeLessThanOrEqual(NOTICE_TEXT_MAX_BYTES);
    expect(clipped.startsWith('rejected by bob: 🔒')).toBe(true);
    expect(clipped).toMatch(/ … \[cut: 1200017 bytes\]$/);
    expect(clipped).not.toContain('\uFFFD');
  });
});
