import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compilePlaybook, formatProblem, playbookJsonSchema } from '../../../../domain/playbook';
import { playbookFixture } from '../../../harness/fixtures';

const SHIPPED = path.resolve(__dirname, '../../../../playbooks/supply-chain-compromise.yaml');

const base = (steps: string): string => playbookFixture('identify-contain-steps', { steps });

const READ = `  - id: find
    phase: identify
    action: github.listRepos
    mutates: false
`;

function problems(text: string): string[] {
  const r = compilePlaybook(text, 'p.yaml');
  if (r.ok) throw new Error('expected problems');
  return r.problems.map(formatProblem);
}

describe('compilePlaybook', () => {
  it('compiles the shipped supply-chain playbook with every phase, in dependency order, with a stable hash', () => {
    const text = readFileSync(SHIPPED, 'utf8');
    const r = compilePlaybook(text, SHIPPED);
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.playbook.phases).toEqual([
      'declare',
      'identify',
      'contain',
      'rotate',
      'revoke',
      'rollback',
      'notify',
      'close',
    ]);
    const order = r.playbook.steps.map((s) => s.id);
    for (const s of r.playbook.steps)
      for (const n of s.needs) expect(order.indexOf(n)).toBeLessThan(order.indexOf(s.id));
    expect(new Set(r.playbook.steps.map((s) => s.phase))).toEqual(new Set(r.playbook.phases));
    for (const s of r.playbook.steps.filter((x) => x.mutates)) expect(s.approval).toBeDefined();
    expect(r.playbook.steps.find((s) => s.id === 'disable-workflows')!.approval).toEqual({
      group: 'oncall-security',
      quorum: 1,
      separationOfDuties: true,
      timeoutMs: 1_800_000,
      escalation: { group: 'security-leads', timeoutMs: 1_800_000 },
      onExpiry: 'reject',
    });
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = compilePlaybook(`# a comment changes nothing\n${text}`, SHIPPED);
    expect(again.ok && again.sha256).toBe(r.sha256);
  });

  it('locates a YAML syntax error by line and column', () => {
    expect(problems('apiVersion: cordon/v1\nkind: [Playbook\n')).toEqual([
      expect.stringMatching(/^p\.yaml:\d+:\d+: \(document\): YAML: /),
    ]);
  });

  it('hints at quoting when an expression sits in a flow mapping', () => {
    expect(
      problems(
        base(
          `  - { id: a, phase: identify, action: github.listRepos, mutates: false, inputs: { org: \${incident.org} } }\n`,
        ),
      )[0],
    ).toMatch(/quote expressions/);
  });

  it('points at an unknown field, a bad enum and a missing field with their paths', () => {
    const out = problems(
      base(`  - id: find
    phase: identify
    action: github.listRepos
    mutates: false
    colour: red
  - id: change
    phase: contain
    action: github.disableWorkflows
    mutates: true
    needs: [find]
    undo: { action: github.enableWorkflows }
    approval: { group: oncall, timeout: 5m, onExpiry: maybe }
`),
    );
    expect(out).toEqual([
      'p.yaml:11:5: steps[0].colour: unknown field(s) "colour"',
      expect.stringMatching(/^p\.yaml:18:\d+: steps\[1\]\.approval\.onExpiry: /),
    ]);
  });

  it('refuses unknown actions, unknown needs, cycles, a phase not listed, and a mutating step without approval', () => {
    const out = problems(
      base(`  - id: a
    phase: identify
    action: github.nope
    mutates: false
    needs: [b]
  - id: b
    phase: nowhere
    action: github.listRepos
    mutates: false
    needs: [a, ghost]
  - id: c
    phase: contain
    action: github.purgeRunArtifacts
    mutates: true
`),
    );
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^p\.yaml:9:5: steps\[0\]\.action: unknown action "github\.nope"/),
        expect.stringMatching(/^p\.yaml:13:5: steps\[1\]\.phase: phase "nowhere" is not listed/),
        expect.stringMatching(/^p\.yaml:16:16: steps\[1\]\.needs\[1\]: needs unknown step "ghost"/),
        expect.stringMatching(/needs form a cycle: a -> b -> a|needs form a cycle: b -> a -> b/),
        expect.stringMatching(/steps\[2\]: a mutating step needs an approval policy/),
      ]),
    );
  });

  it('requires the undo an action declares, and a mutates flag matching the action', () => {
    const out = problems(
      base(`${READ}  - id: d
    phase: contain
    action: github.disableWorkflows
    needs: [find]
    mutates: true
    approval: { group: oncall, timeout: 5m }
  - id: e
    phase: contain
    action: github.listRepos
    needs: [find]
    mutates: true
    approval: { group: oncall, timeout: 5m }
`),
    );
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /steps\[1\]: action "github\.disableWorkflows" can be undone by "github\.enableWorkflows": declare undo/,
        ),
        expect.stringMatching(/steps\[2\]\.mutates: action "github\.listRepos" does not mutate; set mutates: false/),
      ]),
    );
  });

  it('refuses a reference to a step that is not among the needs, and a malformed reference', () => {
    const out = problems(
      base(`${READ}  - id: other
    phase: identify
    action: github.listRepos
    mutates: false
  - id: use
    phase: identify
    action: exposure.identifyInstalls
    needs: [find]
    mutates: false
    inputs:
      repos: \${steps.other.output.repos}
      bad: \${secrets.GITHUB_TOKEN}
`),
    );
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /steps\[2\]\.inputs\.repos: .*refers to step "other", which is not among this step's needs/,
        ),
        expect.stringMatching(/steps\[2\]\.inputs\.bad: bad reference/),
      ]),
    );
  });

  it('ships the JSON Schema generated from the current source (regenerate: cordon playbook schema)', () => {
    const shipped = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../../playbooks/playbook.schema.json'), 'utf8'),
    ) as unknown;
    expect(shipped).toEqual(playbookJsonSchema());
  });

  it('generates a JSON Schema for editors from the same source', () => {
    const schema = playbookJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['apiVersion', 'kind', 'name', 'phases', 'steps']),
    );
    expect(schema.required).toEqual(expect.arrayContaining(['apiVersion', 'steps']));
  });
});
