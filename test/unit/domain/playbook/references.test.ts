import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compilePlaybook, formatProblem } from '../../../../domain/playbook';

const SHIPPED = path.resolve(__dirname, '../../../../playbooks/supply-chain-compromise.yaml');
const shipped = readFileSync(SHIPPED, 'utf8');
const GROUPS = ['legal', 'oncall-security', 'security-leads'];

function problems(text: string, approverGroups?: string[]): string[] {
  const r = compilePlaybook(text, 'p.yaml', undefined, approverGroups ? { approverGroups } : {});
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
}

/** The 1-based line and column of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

describe('playbook validation of references, inputs and approver groups', () => {
  it('accepts the shipped playbook against the output schemas and the shipped approver groups', () => {
    const r = compilePlaybook(shipped, SHIPPED, undefined, { approverGroups: GROUPS });
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  });

  it('refuses a misspelt output field at the reference itself, naming the right one', () => {
    const text = shipped.replace('${steps.ci-exposure.output.workflows}', '${steps.ci-exposure.output.workflow}');
    expect(problems(text)).toEqual([
      `p.yaml:${position(text, '${steps.ci-exposure.output.workflow}')}: steps[4].inputs.targets: ` +
        `\${steps.ci-exposure.output.workflow}: ci-exposure's output (github.collectCiExposure) has no field ` +
        `"workflow" (did you mean "workflows"?); fields: runs, workflows, runners, secrets, apiCalls`,
    ]);
  });

  it('checks fields below the first one, and forEach items too', () => {
    const text = shipped
      .replace('${steps.declare.output.packages}', '${steps.declare.output.packages.0.nmae}')
      .replace('${steps.list-repos.output.repos}', '${steps.list-repos.output.repo}');
    const out = problems(text);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(
      /^p\.yaml:\d+:\d+: steps\[2\]\.forEach\.items: .*list-repos's output \(github\.listRepos\) has no field "repo"/,
    );
    expect(out[1]).toMatch(/steps\[2\]\.inputs\.packages: .*declare's output\.packages\.0 .*has no field "nmae"/);
  });

  it('refuses a field asked of a list', () => {
    const text = shipped.replace(
      'targets: ${steps.ci-exposure.output.workflows}',
      'targets: ${steps.ci-exposure.output.workflows.repo}',
    );
    expect(problems(text)[0]).toMatch(
      /output\.workflows \(github\.collectCiExposure\) is a list: it has no field "repo"/,
    );
  });

  it('refuses an approver group the approvers file does not have, at its position', () => {
    const text = shipped.replace('group: legal', 'group: legl');
    expect(problems(text, GROUPS)).toEqual([
      `p.yaml:${position(text, 'group: legl')}: steps[14].approval.group: approver group "legl" is not in the ` +
        'approvers file (groups: legal, oncall-security, security-leads)',
    ]);
    // Without an approvers file the group cannot be checked, and the playbook stays valid.
    expect(compilePlaybook(text, 'p.yaml').ok).toBe(true);
  });

  it('refuses an escalation group the approvers file does not have', () => {
    const text = shipped.replace(
      'escalation: { group: security-leads, timeout: 1h }',
      'escalation: { group: sec, timeout: 1h }',
    );
    expect(problems(text, GROUPS)).toEqual([
      expect.stringMatching(
        /steps\[14\]\.approval\.escalation\.group: escalation group "sec" is not in the approvers file/,
      ),
    ]);
  });

  it('refuses an input the action does not read', () => {
    const text = shipped.replace('      mode: draft\n', '      mdoe: draft\n');
    expect(problems(text)).toEqual([
      `p.yaml:${position(text, 'mdoe')}: steps[12].inputs.mdoe: action "github.withdrawReleases" has no input "mdoe" ` +
        '(inputs: targets, mode)',
    ]);
  });

  it('reports the first YAML syntax error only, not the errors that follow from it', () => {
    // An unquoted expression in a flow mapping leaves it unclosed: the parser then reports most lines after it.
    const text = shipped.replace(
      '    inputs:\n      org: ${incident.org}\n\n  - id: identify',
      '    inputs: { org: ${incident.org}\n\n  - id: identify',
    );
    expect(text).not.toBe(shipped);
    const out = problems(text);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /^p\.yaml:\d+:\d+: \(document\): YAML: .*quote expressions.*\(later errors not shown: fix this one first\)$/,
    );
  });
});
