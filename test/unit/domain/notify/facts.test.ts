import { loadObligations, incidentFacts, newlyTriggered, type CompiledObligations } from '../../../../domain/notify';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const r = loadObligations(
  readFileSync(path.resolve(__dirname, '../../../../playbooks/obligations.yaml'), 'utf8'),
  'obligations.yaml',
);
const obligations = (r as { obligations: CompiledObligations }).obligations.obligations;
const ids = (facts: ReturnType<typeof incidentFacts>, started = new Set<string>()): string[] =>
  newlyTriggered(obligations, facts, started).map((o) => o.id);

describe('incident facts and triggers', () => {
  it('a declared incident with nothing found triggers only counsel', () => {
    const facts = incidentFacts({ steps: [{ status: 'succeeded', output: { exposedRepos: [], findings: [] } }] });
    expect([...facts]).toEqual(['incident-declared']);
    expect(ids(facts)).toEqual(['counsel-engaged']);
  });

  it('exposed repos found by a succeeded step confirm exposure and start the insurer clock', () => {
    const facts = incidentFacts({
      steps: [
        { status: 'succeeded', output: { exposedRepos: [{ owner: 'acme', name: 'web' }] } },
        { status: 'failed', output: { exposedRepos: [] } },
      ],
    });
    expect(ids(facts)).toEqual(['counsel-engaged', 'insurer-notice']);
    expect(ids(facts, new Set(['counsel-engaged']))).toEqual(['insurer-notice']);
  });

  it('a step still running does not confirm anything', () => {
    const facts = incidentFacts({
      steps: [{ status: 'running', output: { exposedRepos: [{ owner: 'a', name: 'b' }] } }],
    });
    expect(facts.has('exposure-confirmed')).toBe(false);
  });

  it('a production rollback means builds shipped; only a person records personal-data exposure', () => {
    const facts = incidentFacts({
      steps: [{ status: 'succeeded', effects: { rolledBack: [{ environment: 'production' }] } }],
    });
    expect(facts.has('build-shipped')).toBe(true);
    expect(facts.has('personal-data-exposed')).toBe(false);
    const told = incidentFacts({
      steps: [{ status: 'succeeded', effects: { rolledBack: [{ environment: 'staging' }] } }],
      facts: [{ fact: 'personal-data-exposed', by: 'dpo', at: '2026-11-23T10:00:00Z' }],
    });
    expect(told.has('build-shipped')).toBe(false);
    expect(ids(told)).toEqual(['counsel-engaged', 'regulator-breach-notice']);
  });
});
