import { parseSlashCommand, tokenize } from '../../../slack/command';

const now = new Date('2026-06-20T12:00:00.000Z');

describe('/cordon command text', () => {
  it('reads a declaration with the same package specs as the CLI, merging versions of one package', () => {
    const cmd = parseSlashCommand(
      'declare npm:axios@1.14.1,0.30.4 npm:plain-crypto-js@4.2.1 --org acme --since 2026-03-31T00:00Z --severity critical',
      { now },
    );
    expect(cmd).toEqual({
      kind: 'declare',
      declaration: {
        packages: [
          { ecosystem: 'npm', name: 'axios', versions: ['1.14.1', '0.30.4'], ranges: [] },
          { ecosystem: 'npm', name: 'plain-crypto-js', versions: ['4.2.1'], ranges: [] },
        ],
        org: 'acme',
        since: '2026-03-31T00:00:00.000Z',
        severity: 'critical',
      },
    });
  });

  it('defaults the window to seven days back, the severity to high, and the org to the configured one', () => {
    expect(parseSlashCommand('declare pypi:num2words@0.5.15', { now, defaultOrg: 'acme' })).toMatchObject({
      declaration: { org: 'acme', since: '2026-06-13T12:00:00.000Z', severity: 'high' },
    });
  });

  it.each([
    ['declare npm:axios', /^"npm:axios": expected ECOSYSTEM:name@version/],
    ['declare rubygems:rails@7.0.0 --org acme', /unknown ecosystem "rubygems"/],
    ['declare npm:axios@1.14.1', /^--org ORG is required/],
    ['declare npm:axios@1.14.1 --org acme --since yesterday', /^--since yesterday: expected an ISO 8601 time/],
    ['declare npm:axios@1.14.1 --org acme --severity urgent', /^--severity urgent: expected one of low, medium/],
    ['declare npm:axios@1.14.1 --org acme --sevrity high', /--sevrity/],
    ['status a b', /^usage: \/cordon status \[INCIDENT\]$/],
    ['rollback', /^unknown command "rollback": try \/cordon help$/],
  ])('answers "%s" with one precise message', (text, message) => {
    const cmd = parseSlashCommand(text, { now });
    expect(cmd.kind).toBe('error');
    expect((cmd as { message: string }).message).toMatch(message);
  });

  it('opens the form for a bare declare, and reads status, list and help', () => {
    expect(parseSlashCommand('declare', { now })).toEqual({ kind: 'declare-modal' });
    expect(parseSlashCommand('status incident-acme-x', { now })).toEqual({
      kind: 'status',
      incidentId: 'incident-acme-x',
    });
    expect(parseSlashCommand('status', { now })).toEqual({ kind: 'status' });
    expect(parseSlashCommand('list', { now })).toEqual({ kind: 'list' });
    expect(parseSlashCommand('', { now })).toEqual({ kind: 'help' });
  });

  it('keeps quoted words together, with straight or curly quotes (Slack clients send either)', () => {
    expect(tokenize('declare "a b" “c d” e')).toEqual(['declare', 'a b', 'c d', 'e']);
  });
});
