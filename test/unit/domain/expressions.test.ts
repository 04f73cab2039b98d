import { createHash } from 'node:crypto';
import { canonicalJson, hashJson } from '../../../domain/canonical-json';
import { parseDuration } from '../../../domain/duration';
import { findReferences, resolveExpressions } from '../../../domain/playbook';

describe('expressions', () => {
  const scope = {
    incident: { org: 'acme', packages: [{ name: 'x' }] },
    steps: { find: { output: { repos: ['a', 'b'], n: 2 } } },
  };

  it('resolves a whole-value expression to the referenced JSON and interpolates the rest as text', () => {
    expect(
      resolveExpressions(
        { r: '${steps.find.output.repos}', t: 'org ${incident.org} has ${steps.find.output.n}' },
        scope,
      ),
    ).toEqual({
      r: ['a', 'b'],
      t: 'org acme has 2',
    });
  });

  it('resolves a missing reference to null, never to undefined', () => {
    expect(resolveExpressions(['${steps.find.output.nothing}', '${steps.gone.output}'], scope)).toEqual([null, null]);
  });

  it('finds references inside nested inputs and rejects other roots', () => {
    expect(
      findReferences({ a: ['${incident.org}'], b: { c: '${steps.find.output.repos}' } }).map((r) => r.text),
    ).toEqual(['incident.org', 'steps.find.output.repos']);
    expect(() => findReferences('${env.HOME}')).toThrow(/bad reference/);
    expect(() => findReferences('${steps.find.repos}')).toThrow(/steps\.<id>\.output/);
  });
});

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

describe('parseDuration', () => {
  it('reads playbook durations and refuses anything else', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });
});
