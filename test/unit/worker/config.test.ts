import { loadConfig } from '../../../worker/config';

describe('loadConfig', () => {
  it('fills defaults from an empty environment', () => {
    const c = loadConfig({}, '/srv');
    expect(c.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'cordon' });
    expect(c.drillLedger).toBe('/srv/.cordon/drill-ledger.jsonl');
    expect(c.github).toBeUndefined();
  });

  it('reads approver groups from JSON and refuses a malformed map with the path of the problem', () => {
    expect(loadConfig({ CORDON_APPROVER_GROUPS: '{"oncall":["U1","U2"]}' }).approverGroups).toEqual({
      oncall: ['U1', 'U2'],
    });
    expect(() => loadConfig({ CORDON_APPROVER_GROUPS: '{"oncall":[]}' })).toThrow(/approver groups: oncall: /);
    expect(() => loadConfig({ CORDON_APPROVER_GROUPS: '{oncall' })).toThrow(/configuration: approver groups: /);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^configuration: LOG_LEVEL: /);
    expect(() => loadConfig({ GITHUB_API_URL: 'http://127.0.0.1:1' })).toThrow(
      /GITHUB_API_URL is set but GITHUB_TOKEN is not/,
    );
  });
});
