import { parseRequirementsTxt } from '../../../../lockfiles';

// Format: https://pip.pypa.io/en/stable/reference/requirements-file-format/
describe('parseRequirementsTxt', () => {
  it('pins == and === requirements and keeps everything else as loose requirements', () => {
    const text = [
      'num2words==0.5.15',
      'yolo===1.0',
      'keyring >= 4.1.1',
      'pytest',
      'asdf==0.7.*',
      'requests [security] >= 2.8.1, == 2.8.* ; python_version < "2.7"',
    ].join('\n');
    const out = parseRequirementsTxt('requirements.txt', text);
    expect(out.problems).toEqual([]);
    expect(out.packages).toEqual([
      { ecosystem: 'PyPI', name: 'num2words', version: '0.5.15', line: 1, direct: true },
      { ecosystem: 'PyPI', name: 'yolo', version: '1.0', line: 2, direct: true },
    ]);
    expect(out.requirements).toEqual([
      { ecosystem: 'PyPI', name: 'keyring', specifier: '>= 4.1.1', line: 3 },
      { ecosystem: 'PyPI', name: 'pytest', specifier: '', line: 4 },
      { ecosystem: 'PyPI', name: 'asdf', specifier: '==0.7.*', line: 5 },
      { ecosystem: 'PyPI', name: 'requests', specifier: '>= 2.8.1, == 2.8.*', line: 6 },
    ]);
  });

  it('joins continuation lines, strips comments, extras, markers and per-requirement options', () => {
    const text = [
      '# comment',
      'pkgA==1.0 \\',
      '  --hash=sha256:123',
      'celery [redis, pytest] == 4.4.7  # trailing comment',
      'foo5==1.0; python_version < "2.7" --hash=sha256:123',
      'foo14==1.0 -C bar',
    ].join('\n');
    expect(parseRequirementsTxt('r.txt', text).packages.map((p) => [p.name, p.version, p.line])).toEqual([
      ['pkgA', '1.0', 2],
      ['celery', '4.4.7', 4],
      ['foo5', '1.0', 5],
      ['foo14', '1.0', 6],
    ]);
  });

  it('lists -r includes for the caller and skips -c, -e, URLs, paths and direct references', () => {
    const text = [
      '-r base.txt',
      '--requirement=dev/extra.txt',
      '-c constraints.txt',
      '-e git+https://github.com/x/y.git#egg=y',
      './downloads/numpy-1.9.2-cp34-none-win32.whl',
      'https://example.org/pkg-1.0.tar.gz',
      'urllib3 @ https://github.com/urllib3/urllib3/archive/refs/tags/1.26.8.zip',
    ].join('\n');
    const out = parseRequirementsTxt('r.txt', text);
    expect(out.includes).toEqual([
      { path: 'base.txt', line: 1 },
      { path: 'dev/extra.txt', line: 2 },
    ]);
    expect(out.packages).toEqual([]);
    expect(out.requirements).toEqual([]);
  });

  it("tells direct from transitive by pip-compile's # via annotations", () => {
    const text = [
      'requests==2.31.0',
      '    # via -r requirements.in',
      'urllib3==2.0.4',
      '    # via requests',
      'idna==3.4',
      '    # via',
      '    #   requests',
      '    #   yarl',
    ].join('\n');
    expect(parseRequirementsTxt('r.txt', text).packages.map((p) => [p.name, p.direct])).toEqual([
      ['requests', true],
      ['urllib3', false],
      ['idna', false],
    ]);
  });

  it('reports an unreadable specifier with its line and keeps reading', () => {
    const out = parseRequirementsTxt('r.txt', 'good==1.0\nbad >>> 2\nalso-good==2.0\n');
    expect(out.packages.map((p) => p.name)).toEqual(['good', 'also-good']);
    expect(out.problems).toEqual([
      { line: 2, message: '">>> 2" is not a PEP 440 version specifier (requirement bad)' },
    ]);
  });
});
