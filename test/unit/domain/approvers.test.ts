import {
  admitVoter,
  groupAliases,
  groupNames,
  groupPrincipals,
  resolveAlias,
  type ApproverDirectory,
  type Principal,
} from '../../../domain/approvers';

const person = (id: string, cli: string, slack: string, groups: string[], email: string[] = []): Principal => ({
  id,
  aliases: { cli: [cli], slack: [slack], email },
  groups,
  keys: { ssh: [], webauthn: [] },
});

const DIR: ApproverDirectory = {
  people: [
    person('bob', 'bob', 'U0BOB', ['oncall'], ['Bob@Example.com']),
    person('alice', 'alice', 'U0ALICE', ['oncall', 'leads']),
    person('cam', 'cam', 'U0CAM', ['legal']),
  ],
};

describe('approver directory', () => {
  it('resolves an alias on its own channel only; e-mail addresses match whatever their case', () => {
    expect(resolveAlias(DIR, 'slack', 'U0ALICE')?.id).toBe('alice');
    expect(resolveAlias(DIR, 'cli', 'U0ALICE')).toBeUndefined();
    expect(resolveAlias(DIR, 'email', 'bob@example.COM')?.id).toBe('bob');
    expect(resolveAlias(DIR, 'cli', 'Bob')).toBeUndefined();
    expect(resolveAlias(DIR, 'cli', 'mallory')).toBeUndefined();
  });

  it("lists a group's principals sorted by id, with aliases and keys, and nothing for an unknown group", () => {
    expect(groupPrincipals(DIR, 'oncall')?.map((p) => p.id)).toEqual(['alice', 'bob']);
    expect(groupPrincipals(DIR, 'oncall')![0]).toEqual({
      id: 'alice',
      aliases: { cli: ['alice'], slack: ['U0ALICE'], email: [] },
      keys: { ssh: [], webauthn: [] },
    });
    expect(groupPrincipals(DIR, 'nobody')).toBeUndefined();
    expect(groupNames(DIR)).toEqual(['leads', 'legal', 'oncall']);
  });

  it('gives the alias-per-group map older configuration used', () => {
    expect(groupAliases(DIR)).toEqual({
      leads: ['alice', 'U0ALICE'],
      legal: ['cam', 'U0CAM'],
      oncall: ['bob', 'U0BOB', 'alice', 'U0ALICE'],
    });
    expect(groupAliases(DIR, ['slack'])).toEqual({
      leads: ['U0ALICE'],
      legal: ['U0CAM'],
      oncall: ['U0BOB', 'U0ALICE'],
    });
  });
});

describe('admitVoter', () => {
  const oncall = groupPrincipals(DIR, 'oncall')!;

  it('admits a member by any of their aliases', () => {
    expect(admitVoter(oncall, 'slack', 'U0BOB', [])).toMatchObject({ ok: true, principal: { id: 'bob' } });
    expect(admitVoter(oncall, 'cli', 'alice', [{ principal: 'bob', alias: 'U0BOB', channel: 'slack' }])).toMatchObject({
      ok: true,
      principal: { id: 'alice' },
    });
  });

  it('refuses the second alias of a principal who already voted: one human counts once', () => {
    const counted = [{ principal: 'alice', alias: 'alice', channel: 'cli' as const }];
    expect(admitVoter(oncall, 'slack', 'U0ALICE', counted)).toEqual({
      ok: false,
      code: 'ALIAS_OF_VOTER',
      message: '"U0ALICE" is alice, who already voted as cli "alice"',
    });
    expect(admitVoter(oncall, 'cli', 'alice', counted)).toMatchObject({ ok: false, code: 'ALREADY_VOTED' });
  });

  it('refuses someone outside the group, even one declared elsewhere in the directory', () => {
    expect(admitVoter(oncall, 'cli', 'cam', [])).toMatchObject({ ok: false, code: 'NOT_IN_GROUP' });
  });
});
