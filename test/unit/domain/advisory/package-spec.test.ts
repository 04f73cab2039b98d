import { parsePackageSpec } from '../../../../domain/advisory';

describe('parsePackageSpec', () => {
  it('reads scoped npm names, PyPI and crates.io specs, with OSV ecosystem names', () => {
    expect(parsePackageSpec('npm:@mastra/core@1.42.1')).toEqual({
      ok: true,
      advisory: {
        id: 'npm:@mastra/core@1.42.1',
        aliases: [],
        source: '--package',
        affected: [{ ecosystem: 'npm', name: '@mastra/core', versions: ['1.42.1'], ranges: [] }],
      },
    });
    expect(parsePackageSpec('pypi:num2words@0.5.15')).toMatchObject({
      ok: true,
      advisory: { id: 'PyPI:num2words@0.5.15' },
    });
    expect(parsePackageSpec('crates.io:replit_ruspty@1.0.0')).toMatchObject({
      ok: true,
      advisory: { affected: [{ ecosystem: 'crates.io', name: 'replit_ruspty' }] },
    });
  });

  it.each([
    ['axios@1.14.1', /expected ECOSYSTEM:name@version/],
    ['maven:foo@1', /unknown ecosystem "maven"/],
    ['npm:axios', /expected ECOSYSTEM:name@version/],
    ['npm:@scope/x', /expected ECOSYSTEM:name@version/],
    ['npm:axios@', /expected ECOSYSTEM:name@version/],
  ])('refuses %s', (spec, message) => {
    const out = parsePackageSpec(spec);
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.message).toMatch(message);
  });
});
