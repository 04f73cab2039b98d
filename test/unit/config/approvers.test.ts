import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseApprovers, readApproversFile } from '../../../config/approvers';
import { loadConfig } from '../../../config/config';
import { sshWorkspace, type SshKeyFiles, type SshWorkspace } from '../domain/signing/ssh-fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const DEPLOY = path.join(ROOT, 'deploy/approvers.yaml');

/** The problems as `line:col path: message`, the way an editor would show them. */
function problems(text: string): string[] {
  const r = parseApprovers(text, 'approvers.yaml');
  if (r.ok) throw new Error('expected problems');
  return r.problems.map((p) => `${p.line}:${p.col} ${p.path}: ${p.message}`);
}

describe('parseApprovers', () => {
  let ws: SshWorkspace;
  let alice: SshKeyFiles;
  let aliceKey: string;
  let aliceEc: string;
  beforeAll(() => {
    ws = sshWorkspace();
    alice = ws.keygen('alice', 'ed25519');
    aliceKey = alice.publicLine;
    aliceEc = ws.keygen('alice-ec', 'ecdsa').publicLine;
  });
  afterAll(() => ws.cleanup());

  it('reads each person once with aliases, groups and parsed keys fingerprinted as ssh-keygen does', () => {
    const r = parseApprovers(
      [
        'people:',
        '  - id: alice',
        '    aliases: { cli: alice, slack: [U0ALICE, W0ALICEGRID], email: Alice@Example.com }',
        '    groups: [oncall, leads]',
        '    keys:',
        `      ssh: ["${aliceKey}", "${aliceEc}"]`,
      ].join('\n'),
      'approvers.yaml',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const [person] = r.directory.people;
    expect(person).toMatchObject({
      id: 'alice',
      aliases: { cli: ['alice'], slack: ['U0ALICE', 'W0ALICEGRID'], email: ['Alice@Example.com'] },
      groups: ['leads', 'oncall'],
    });
    expect(person!.keys.ssh.map((k) => k.algorithm)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
    expect(person!.keys.ssh[0]!.fingerprint).toBe(ws.fingerprint(alice));
    expect(person!.keys.webauthn).toEqual([]);
  });

  it('reads the shipped deploy/approvers.yaml', () => {
    const dir = readApproversFile(DEPLOY);
    expect(dir.people.map((p) => p.id)).toEqual(['ana', 'bo', 'lee', 'cam']);
    expect(dir.people.find((p) => p.id === 'ana')!.keys.webauthn).toEqual([
      expect.objectContaining({ id: 'fgOm-_aW67PRTPnzOWvaHA', alg: -7 }),
    ]);
  });

  it('points at the line and column of each schema problem', () => {
    expect(
      problems(
        [
          'people:', //                                     1
          '  - id: Alice', //                               2
          '    aliases: { slack: alice, pager: x }', //     3
          '    groups: []', //                              4
        ].join('\n'),
      ),
    ).toEqual([
      expect.stringMatching(/^2:5 people\[0\]\.id: expected a lower-case principal id/),
      expect.stringMatching(/^3:16 people\[0\]\.aliases\.slack: expected a Slack user id/),
      '3:30 people[0].aliases.pager: unknown field(s) "pager"',
      expect.stringMatching(/^4:5 people\[0\]\.groups: /),
    ]);
  });

  it('refuses a second person with the same id, alias or key: one human, or one key, must not count twice', () => {
    const text = [
      'people:',
      '  - id: alice',
      '    aliases: { cli: alice, email: alice@example.com }',
      '    groups: [oncall]',
      `    keys: { ssh: ["${aliceKey}"] }`,
      '  - id: alice',
      '    aliases: { cli: alice2, email: ALICE@example.com }',
      '    groups: [oncall]',
      `    keys: { ssh: ["${aliceKey.replace('alice@', 'other-comment@')}"] }`,
    ].join('\n');
    expect(problems(text)).toEqual([
      '6:5 people[1].id: duplicate id "alice" (first at people[0])',
      `7:29 people[1].aliases.email[0]: email alias "ALICE@example.com" is already alice's`,
      expect.stringMatching(
        /^9:19 people\[1\]\.keys\.ssh\[0\]: key SHA256:\S+ is already enrolled \(people\[0\]\.keys\.ssh\[0\]\)$/,
      ),
    ]);
  });

  it('refuses unsupported and malformed keys, a person without aliases, and a passkey whose alg disagrees', () => {
    const text = [
      'people:',
      '  - id: bob',
      '    aliases: {}',
      '    groups: [oncall]',
      '    keys:',
      '      ssh: ["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ bob@old", "ssh-ed25519 AAAA"]',
      '      webauthn:',
      '        - id: cred1',
      '          publicKey: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEri1zTiQd4jOSpoQeG0JRB1YJPc_fyztJEWJ4C4w453jCzlrSDF2FmzBbO4PM35rc4Xh8HnnYEATBGiwBYH8bEg',
      '          alg: -8',
    ].join('\n');
    expect(problems(text)).toEqual([
      '3:5 people[0].aliases: no alias: this person could never vote',
      expect.stringMatching(/^6:13 people\[0\]\.keys\.ssh\[0\]: unsupported key type "ssh-rsa"/),
      expect.stringMatching(/^6:63 people\[0\]\.keys\.ssh\[1\]: key blob is truncated$/),
      '10:11 people[0].keys.webauthn[0].alg: alg -8 but the key is for alg -7',
    ]);
  });

  it('reports YAML syntax errors and a document that is not a mapping', () => {
    expect(problems('people: [\n')).toEqual([expect.stringMatching(/^\d+:\d+ : YAML: /)]);
    expect(problems('- alice\n')).toEqual(['1:1 : expected a mapping with people']);
  });

  it('throws one UserError listing every problem as file:line:col', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-approvers-'));
    try {
      const file = path.join(dir, 'approvers.yaml');
      writeFileSync(file, 'people:\n  - id: x\n    aliases: { cli: x }\n    groups: [Oncall]\n');
      expect(() => readApproversFile(file, 'approvers.yaml')).toThrow(
        expect.objectContaining({
          code: 'E_APPROVERS',
          message: expect.stringMatching(/^approvers\.yaml:4:14: people\[0\]\.groups\[0\]: /),
        }),
      );
      expect(() => readApproversFile(path.join(dir, 'missing.yaml'), 'missing.yaml')).toThrow(/^missing\.yaml: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loadConfig with a people file', () => {
  it('keeps approverGroups working (every CLI handle and Slack id of each member) and exposes the people', () => {
    const c = loadConfig({ CORDON_APPROVER_GROUPS_FILE: 'deploy/approvers.yaml' }, ROOT);
    expect(c.approverGroups).toEqual({
      'oncall-security': ['ana', 'U0ONCALL1', 'bo', 'U0ONCALL2'],
      'security-leads': ['lee', 'U0LEAD1'],
      legal: ['cam', 'U0COUNSEL1'],
    });
    expect(c.approvers?.people).toHaveLength(4);
  });

  it('still reads the older group → ids file, without people', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-approvers-'));
    try {
      writeFileSync(path.join(dir, 'groups.yaml'), 'oncall: [U1, U2]\n');
      const c = loadConfig({ CORDON_APPROVER_GROUPS_FILE: 'groups.yaml' }, dir);
      expect(c.approverGroups).toEqual({ oncall: ['U1', 'U2'] });
      expect(c.approvers).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file, line and column of a bad people file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-approvers-'));
    try {
      writeFileSync(path.join(dir, 'people.yaml'), 'people:\n  - id: x\n    groups: [oncall]\n');
      expect(() => loadConfig({ CORDON_APPROVER_GROUPS_FILE: 'people.yaml' }, dir)).toThrow(
        /^configuration: approver groups:\npeople\.yaml:2:5: people\[0\]\.aliases: /,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
