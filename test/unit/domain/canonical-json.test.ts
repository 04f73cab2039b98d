import { createHash } from 'node:crypto';
import { canonicalJson, hashJson } from '../../../domain/canonical-json';

describe('canonical JSON and plan hashes', () => {
  it('hashes equal values equally whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(hashJson({ b: 1, a: 2 })).toBe(hashJson({ a: 2, b: 1 }));
    expect(hashJson({ a: 2 })).not.toBe(hashJson({ a: 3 }));
  });

  it('matches the SHA-256 of the canonical text (same hash as Node crypto)', () => {
    const v = { items: ['x', 1, null, true], summary: 'é' };
    expect(hashJson(v)).toBe(createHash('sha256').update(canonicalJson(v)).digest('hex'));
  });
});
