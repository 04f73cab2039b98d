import { compilePlaybook, failureDecisionGroups, formatProblem, standDownPreview } from '../../../../domain/playbook';
import type { CompiledPlaybook } from '../../../../domain/playbook';

const approval = (group: string): string =>
  `{ group: ${group}, quorum: 1, separationOfDuties: true, timeout: 10m, onExpiry: reject }`;

const PLAYBOOK = `apiVersion: cordon/v1
kind: Playbook
name: t
version: 1
phases: [identify, contain, notify]
steps:
  - id: find
    phase: identify
    action: github.listRepos
    mutates: false
  - id: runs
    phase: identify
    action: github.collectCiExposure
    needs: [find]
    mutates: false
  - id: disable
    phase: contain
    action: github.disableWorkflows
    needs: [runs]
    mutates: true
    undo: { action: github.enableWorkflows }
    approval: ${approval('oncall')}
  - id: revoke
    phase: contain
    action: github.purgeRunArtifacts
    needs: [find]
    mutates: true
    approval: ${approval('security')}
  - id: pin
    phase: contain
    action: github.openPinPullRequests
    needs: [find]
    mutates: true
    undo: { action: github.closePinPullRequests }
    undoOnStandDown: false
    approval: ${approval('oncall')}
  - id: lonely
    phase: notify
    action: github.listRepos
    mutates: false
`;

function compiled(text = PLAYBOOK): CompiledPlaybook {
  const r = compilePlaybook(text, 'p.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.playbook;
}

describe('failureDecisionGroups', () => {
  it('is the step own approver group for an approved step', () => {
    expect(failureDecisionGroups(compiled(), 'revoke')).toEqual(['security']);
  });

  it('is the groups approving what a read-only step feeds, transitively, for a step without approval', () => {
    expect(failureDecisionGroups(compiled(), 'runs')).toEqual(['oncall']);
    expect(failureDecisionGroups(compiled(), 'find')).toEqual(['oncall', 'security']);
  });

  it('falls back to every approver group of the playbook when no approved step depends on the step', () => {
    expect(failureDecisionGroups(compiled(), 'lonely')).toEqual(['oncall', 'security']);
  });
});

describe('standDownPreview', () => {
  it('lists the undos of applied steps in reverse, and keeps the steps that opted out', () => {
    expect(standDownPreview(compiled(), ['disable', 'revoke', 'pin'])).toEqual({
      undos: [{ stepId: 'disable', action: 'github.enableWorkflows' }],
      kept: [{ stepId: 'pin', reason: 'undoOnStandDown: false' }],
    });
    expect(standDownPreview(compiled(), [])).toEqual({ undos: [], kept: [] });
  });
});

describe('undoOnStandDown in a playbook', () => {
  it('compiles only the opt-out, so playbooks without it keep their plan and hash', () => {
    const steps = compiled().steps;
    expect(steps.find((s) => s.id === 'pin')!.undoOnStandDown).toBe(false);
    expect('undoOnStandDown' in steps.find((s) => s.id === 'disable')!).toBe(false);
  });

  it('is refused on a step without an undo, naming line and column', () => {
    const r = compilePlaybook(
      PLAYBOOK.replace(
        '    approval: ' + approval('security'),
        `    undoOnStandDown: false\n    approval: ${approval('security')}`,
      ),
      'p.yaml',
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^p\.yaml:\d+:\d+: steps\[3\]\.undoOnStandDown: undoOnStandDown applies only to a step that declares an undo$/,
      ),
    ]);
  });
});
