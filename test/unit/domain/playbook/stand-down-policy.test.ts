// Who decides a stand-down: the playbook's `standDown`, else a leads-like approver group, else the first one.
import { compilePlaybook, formatProblem, standDownPolicy } from '../../../../domain/playbook';
import type { CompiledPlaybook } from '../../../../domain/playbook';

const playbook = (approval: string, top = ''): string => `apiVersion: cordon/v1
kind: Playbook
name: t
version: 1
phases: [contain]
${top}steps:
  - id: disable
    phase: contain
    action: github.disableWorkflows
    mutates: true
    undo: { action: github.enableWorkflows }
    approval: ${approval}
`;

function compiled(text: string): { playbook: CompiledPlaybook; sha256: string } {
  const r = compilePlaybook(text, 'p.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r;
}

describe('standDownPolicy', () => {
  it('takes the playbook’s standDown, with quorum 1 and signed proof by default', () => {
    const r = compiled(playbook('{ group: oncall, timeout: 10m }', 'standDown: { group: commanders }\n'));
    expect(standDownPolicy(r.playbook)).toEqual({ group: 'commanders', quorum: 1, proof: 'signed' });
  });

  it('defaults to a leads-like approver or escalation group, else the first approver group', () => {
    const withLeads = playbook('{ group: oncall, timeout: 10m, escalation: { group: security-leads, timeout: 5m } }');
    expect(standDownPolicy(compiled(withLeads).playbook)).toEqual({
      group: 'security-leads',
      quorum: 1,
      proof: 'signed',
    });
    expect(standDownPolicy(compiled(playbook('{ group: oncall, timeout: 10m }')).playbook)?.group).toBe('oncall');
  });

  it('leaves the compiled plan of a playbook without standDown as it was (same sha256)', () => {
    const without = compiled(playbook('{ group: oncall, timeout: 10m }'));
    expect(without.playbook.standDown).toBeUndefined();
    const withIt = compiled(playbook('{ group: oncall, timeout: 10m }', 'standDown: { group: oncall }\n'));
    expect(withIt.sha256).not.toBe(without.sha256);
  });
});
