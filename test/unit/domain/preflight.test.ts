import { DEFAULT_ACTIONS } from '../../../domain/actions';
import { compilePlaybook } from '../../../domain/playbook';
import {
  checkPreflight,
  endpointLabel,
  isSandboxEndpoint,
  manualSteps,
  preflightLine,
  preflightRefuses,
  preflightSteps,
  type ActionReach,
  type PreflightRequest,
} from '../../../domain/preflight';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const sandbox = (url: string): boolean => isSandboxEndpoint(url, ['https://sandbox.example.com/github']);
const github = (apiUrl: string | undefined): ActionReach => ({
  systems: [
    apiUrl
      ? { system: 'github', configured: true, endpoints: [apiUrl] }
      : { system: 'github', configured: false, hint: 'set GITHUB_TOKEN' },
  ],
  isSandbox: sandbox,
});

const request = (drill: boolean): PreflightRequest => ({
  drill,
  steps: [
    { id: 'declare', actions: ['incident.declare'], groups: [] },
    { id: 'list-repos', actions: ['github.listRepos'], groups: [] },
    { id: 'disable', actions: ['github.disableWorkflows', 'github.enableWorkflows'], groups: ['oncall', 'leads'] },
    { id: 'notify', actions: ['notify.sendPackets'], groups: ['legal'] },
  ],
});

describe('pre-flight', () => {
  it('finds nothing missing when every system is configured and every group known', () => {
    const reach = github('https://api.github.com');
    const r = checkPreflight(request(false), (a) => (a.startsWith('github.') ? reach : undefined), new Set());
    expect(r.problems).toEqual([]);
    expect(preflightRefuses(r, false)).toBe(false);
  });

  it('reports one problem per missing piece, naming every step that needs it', () => {
    const reach = github(undefined);
    const r = checkPreflight(request(false), (a) => (a.startsWith('github.') ? reach : undefined), new Set(['legal']));
    expect(r.problems.map(preflightLine)).toEqual([
      'GitHub is not configured: set GITHUB_TOKEN (needed by list-repos, disable)',
      'approver group "legal" is not configured (CORDON_APPROVER_GROUPS_FILE, or a Slack user group) (needed by notify)',
    ]);
    expect(preflightRefuses(r, false)).toBe(true);
    // Allowed, the steps that need a missing piece are left to people and the incident runs.
    expect(preflightRefuses(r, true)).toBe(false);
    expect([...manualSteps(r)]).toEqual(['list-repos', 'disable', 'notify']);
  });

  it('refuses a drill whose steps reach a real endpoint, even when missing pieces are allowed', () => {
    const reach = github('https://api.github.com');
    const r = checkPreflight(request(true), (a) => (a.startsWith('github.') ? reach : undefined), new Set());
    expect(r.problems).toEqual([
      {
        kind: 'drill-real-endpoint',
        piece: 'github@https://api.github.com',
        message:
          'a drill may only call sandboxes, and GitHub is https://api.github.com (not a loopback address nor under CORDON_SANDBOX_URLS)',
        steps: ['list-repos', 'disable'],
      },
    ]);
    expect(preflightRefuses(r, true)).toBe(true);
    expect(manualSteps(r).size).toBe(0);
  });

  it('lets a drill call loopback and configured sandbox endpoints, and a real incident call anything', () => {
    for (const url of ['http://127.0.0.1:8080', 'https://sandbox.example.com/github/api/v3']) {
      const reach = github(url);
      expect(
        checkPreflight(request(true), (a) => (a.startsWith('github.') ? reach : undefined), new Set()).problems,
      ).toEqual([]);
    }
  });

  it('knows loopback and sandbox URLs from real ones', () => {
    expect(isSandboxEndpoint('http://localhost:3000')).toBe(true);
    expect(isSandboxEndpoint('http://api.localhost')).toBe(true);
    expect(isSandboxEndpoint('http://127.0.0.9:1/x')).toBe(true);
    expect(isSandboxEndpoint('http://[::1]:25')).toBe(true);
    expect(isSandboxEndpoint('smtp://user:pw@127.0.0.1:2525')).toBe(true);
    expect(isSandboxEndpoint('https://api.github.com')).toBe(false);
    expect(isSandboxEndpoint('https://127.0.0.1.evil.example')).toBe(false);
    expect(isSandboxEndpoint('not a url')).toBe(false);
    expect(isSandboxEndpoint('https://sandbox.example.com/github', ['https://sandbox.example.com/github/'])).toBe(true);
    expect(isSandboxEndpoint('https://sandbox.example.com/githubx', ['https://sandbox.example.com/github'])).toBe(
      false,
    );
    expect(isSandboxEndpoint('http://sandbox.example.com/github', ['https://sandbox.example.com/github'])).toBe(false);
  });

  it('never shows credentials of an endpoint', () => {
    expect(endpointLabel('smtps://cordon:s3cret@mail.example.com:465')).toBe('smtps://mail.example.com:465');
    expect(endpointLabel('https://user:tok@ghe.example.com/api/v3?x=1')).toBe('https://ghe.example.com/api/v3');
  });

  it("checks each step's action, its undo and its approval and escalation groups", () => {
    const text = readFileSync(path.join(__dirname, '../../../playbooks/supply-chain-compromise.yaml'), 'utf8');
    const compiled = compilePlaybook(text, 'supply-chain-compromise.yaml');
    if (!compiled.ok) throw new Error('playbook does not compile');
    const steps = preflightSteps(compiled.playbook.steps);
    expect(steps.find((s) => s.id === 'disable-workflows')).toEqual({
      id: 'disable-workflows',
      actions: ['github.disableWorkflows', 'github.enableWorkflows'],
      groups: ['oncall-security', 'security-leads'],
    });
    // Every action the playbook names that calls out of cordon says which systems in the catalogue.
    for (const s of steps)
      for (const a of s.actions)
        if (/^(github|aws|notify)\./.test(a)) expect(DEFAULT_ACTIONS[a]?.systems?.length).toBeGreaterThan(0);
  });
});
