// Obligations files for tests.
import { loadObligations, type CompiledObligations } from '../../domain/notify';
import { formatProblem } from '../../domain/playbook';

/** Compiles an obligations file for a test, failing the test with every problem. */
export function obligationsForTest(yaml: string): CompiledObligations {
  const r = loadObligations(yaml, 'test-obligations.yaml');
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r.obligations;
}
