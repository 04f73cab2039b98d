import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatProblem } from '../../../../domain/playbook';
import { loadObligations } from '../../../../domain/notify';

const ROOT = path.resolve(__dirname, '../../../..');
const DEFAULT = readFileSync(path.join(ROOT, 'playbooks/obligations.yaml'), 'utf8');

const minimal = (obligation: string, extra = ''): string => `apiVersion: cordon/v1
kind: Obligations
${extra}parties:
  insurer:
    name: Insurer
    channels: [{ email: claims@insurer.example }]
obligations:
${obligation}`;

describe('loadObligations', () => {
  it('accepts the shipped default, marked as not legal advice', () => {
    expect(DEFAULT).toMatch(/NOT LEGAL ADVICE/);
    const r = loadObligations(DEFAULT, 'playbooks/obligations.yaml');
    if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
    const byId = Object.fromEntries(r.obligations.obligations.map((o) => [o.id, o]));
    expect(byId['counsel-engaged']).toMatchObject({ trigger: 'incident-declared', clockStart: 'discovery' });
    expect(byId['insurer-notice']).toMatchObject({ trigger: 'exposure-confirmed', deadline: { hours: 72 } });
    expect(byId['regulator-breach-notice']).toMatchObject({
      trigger: 'personal-data-exposed',
      deadline: { hours: 72 },
    });
    expect(byId['insurer-notice']!.reminderOffsetsMs).toEqual([24 * 3_600_000, 4 * 3_600_000]);
    expect(byId['insurer-notice']!.channels).toEqual([{ email: 'claims@insurer.example' }]);
    expect(r.obligations.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the file, line and column of each mistake, and keeps going after the first', () => {
    const text = minimal(`  - id: insurer-notice
    description: notice
    who: insurer
    trigger: exposure-confirmd
    deadline: { hours: 72 }
    owner: legal
  - id: second
    description: notice
    who: insurr
    trigger: incident-declared
    deadline: { businessDays: 1.5 }
    owner: legal
`);
    const r = loadObligations(text, 'obligations.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.problems.map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^obligations\.yaml:11:5: obligations\[0\]\.trigger: Invalid option: expected one of/),
        expect.stringMatching(/^obligations\.yaml:18:5: obligations\[1\]\.deadline: expected \{ hours: N \}/),
      ]),
    );
  });

  it('refuses a party nobody declared, a reminder longer than the deadline and an unknown time zone', () => {
    const text = minimal(
      `  - id: a
    description: notice
    who: broker
    trigger: incident-declared
    deadline: { hours: 1 }
    reminders: [2h]
    owner: legal
`,
      'calendar: { timeZone: Mars/Olympus }\n',
    );
    const r = loadObligations(text, 'o.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.problems.map(formatProblem);
    expect(lines).toEqual([
      expect.stringMatching(/^o\.yaml:3:13: calendar\.timeZone: unknown time zone "Mars\/Olympus"/),
      expect.stringMatching(/^o\.yaml:11:5: obligations\[0\]\.who: unknown party "broker" \(parties: insurer\)/),
      expect.stringMatching(/^o\.yaml:14:17: obligations\[0\]\.reminders\[0\]: reminder 2h/),
    ]);
  });

  it('reports an unknown field by its own position', () => {
    const r = loadObligations(
      minimal(`  - id: a
    description: notice
    who: insurer
    trigger: incident-declared
    deadline: { hours: 1 }
    owner: legal
    ownr: typo
`),
      'o.yaml',
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map(formatProblem)).toEqual(['o.yaml:14:5: obligations[0].ownr: unknown field(s) "ownr"']);
  });
});
