import { findReferences, resolveExpressions } from '../../../../domain/playbook';

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
