import { compilePlaybook, formatProblem } from '../../../../domain/playbook';
import { playbookFixture } from '../../../harness/fixtures';

const playbook = (extra: string): string => playbookFixture('one-read-step', { extra });

describe('step delay', () => {
  it('compiles to delayMs, and a step without one compiles exactly as before (no key)', () => {
    const r = compilePlaybook(playbook('    delay: 1h30m\n'), 'p.yaml');
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    expect(r.playbook.steps[0]!.delayMs).toBe(90 * 60_000);
    const plain = compilePlaybook(playbook(''), 'p.yaml');
    if (!plain.ok) throw new Error('expected the plain playbook to compile');
    expect('delayMs' in plain.playbook.steps[0]!).toBe(false);
  });

  it('refuses a delay that is not a duration, naming the field and line', () => {
    const r = compilePlaybook(playbook('    delay: tomorrow\n'), 'p.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^p\.yaml:11:\d+: .*steps\[0\]\.delay.*duration/),
    ]);
  });
});
