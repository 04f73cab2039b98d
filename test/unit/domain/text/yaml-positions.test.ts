import {
  byPosition,
  describeIssue,
  formatProblem,
  issuePath,
  parseWithPositions,
  pathText,
} from '../../../../domain/text/yaml-positions';

const TEXT = `name: demo
steps:
  - id: find
    inputs:
      org: acme
  - id: pin
`;

describe('YAML positions', () => {
  it('locates a mapping entry at its key, not its value', () => {
    const yaml = parseWithPositions(TEXT, 'p.yaml');
    expect(yaml.locate(['name'])).toEqual({ line: 1, col: 1 });
    expect(yaml.locate(['steps', 0, 'inputs', 'org'])).toEqual({ line: 5, col: 7 });
  });

  it('locates a sequence item at the item itself', () => {
    expect(parseWithPositions(TEXT, 'p.yaml').locate(['steps', 1])).toEqual({ line: 6, col: 5 });
  });

  it('falls back to the deepest part of the path that exists', () => {
    const yaml = parseWithPositions(TEXT, 'p.yaml');
    expect(yaml.locate(['steps', 1, 'approval', 'group'])).toEqual({ line: 6, col: 5 });
    expect(yaml.locate(['phases'])).toEqual({ line: 1, col: 1 });
  });

  it('builds a located problem with the path spelled as people read it', () => {
    const problem = parseWithPositions(TEXT, 'p.yaml').problemAt(['steps', 0, 'id'], 'duplicate step id "find"');
    expect(formatProblem(problem)).toBe('p.yaml:3:5: steps[0].id: duplicate step id "find"');
  });

  it('names the whole document when the path is empty', () => {
    expect(formatProblem({ file: 'o.yaml', line: 1, col: 1, path: '', message: 'expected a mapping' })).toBe(
      'o.yaml:1:1: (document): expected a mapping',
    );
  });

  it('reports syntax errors and duplicate keys with the first line of the parser message', () => {
    const problems = parseWithPositions('a: 1\na: 2\n', 'd.yaml').syntaxProblems();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'd.yaml', line: 2, col: 1, path: '' });
    expect(problems[0]!.message).toMatch(/^YAML: Map keys must be unique$/);
  });

  it('has no syntax problems for well-formed text', () => {
    expect(parseWithPositions(TEXT, 'p.yaml').syntaxProblems()).toEqual([]);
  });

  it('spells paths with dots for keys and brackets for indexes', () => {
    expect(pathText(['steps', 2, 'approval', 'group'])).toBe('steps[2].approval.group');
    expect(pathText([])).toBe('');
  });

  it('points an unknown-key issue at the first unknown key and names them all', () => {
    const issue = { code: 'unrecognized_keys', path: ['steps', 0], message: 'Unrecognized keys', keys: ['ownr', 'x'] };
    expect(issuePath(issue)).toEqual(['steps', 0, 'ownr']);
    expect(describeIssue(issue)).toBe('unknown field(s) "ownr", "x"');
  });

  it('keeps any other issue at its own path with its own message', () => {
    const issue = { code: 'invalid_type', path: ['steps', 0, 'id'], message: 'Invalid input: expected string' };
    expect(issuePath(issue)).toEqual(['steps', 0, 'id']);
    expect(describeIssue(issue)).toBe('Invalid input: expected string');
  });

  it('turns schema issues into located problems', () => {
    const yaml = parseWithPositions(TEXT, 'p.yaml');
    const issues = [
      { code: 'unrecognized_keys', path: ['steps', 0], message: 'Unrecognized key', keys: ['inputs'] },
      { code: 'invalid_type', path: ['steps', 1, 'phase'], message: 'Invalid input: expected string' },
    ];
    expect(yaml.issueProblems(issues).map(formatProblem)).toEqual([
      'p.yaml:4:5: steps[0].inputs: unknown field(s) "inputs"',
      'p.yaml:6:5: steps[1].phase: Invalid input: expected string',
    ]);
  });

  it('orders problems by line, then column', () => {
    const at = (line: number, col: number) => ({ file: 'f', line, col, path: '', message: `${line}:${col}` });
    expect(byPosition([at(3, 1), at(1, 9), at(1, 2)]).map((p) => p.message)).toEqual(['1:2', '1:9', '3:1']);
  });
});
