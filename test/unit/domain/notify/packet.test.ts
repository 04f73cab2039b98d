import {
  buildPacket,
  PACKET_LIST_LIMIT,
  renderHtml,
  renderMarkdown,
  type PacketSource,
} from '../../../../domain/notify';

const source: PacketSource = {
  incidentId: 'incident-acme-mastra',
  title: 'Mastra <script>alert(1)</script> compromise',
  severity: 'critical',
  org: 'acme',
  initiator: 'alice',
  since: '2026-06-17T04:00:00.000Z',
  startedAt: '2026-06-18T09:00:00.000Z',
  drill: false,
  advisoryIds: ['MAL-2026-6011'],
  packages: [{ ecosystem: 'npm', name: '@mastra/core', versions: ['1.42.1'] }],
  steps: [
    {
      id: 'declare',
      name: 'declare',
      phase: 'declare',
      mutates: false,
      status: 'succeeded',
      startedAt: '2026-06-18T09:00:01.000Z',
      finishedAt: '2026-06-18T09:00:02.000Z',
      output: { until: '2026-06-17T10:00:00.000Z' },
    },
    {
      id: 'identify',
      name: 'Lockfiles',
      phase: 'identify',
      mutates: false,
      status: 'succeeded',
      finishedAt: '2026-06-18T09:01:00.000Z',
      output: { exposedRepos: [{ owner: 'acme', name: 'web' }], findings: [{}, {}] },
    },
    {
      id: 'ci',
      name: 'CI',
      phase: 'identify',
      mutates: false,
      status: 'succeeded',
      output: {
        runs: [{}],
        workflows: [{ repo: 'acme/web', path: '.github/workflows/ci.yml' }],
        runners: [{ name: 'build-1' }],
        secrets: [{ repo: 'acme/web', scope: 'environment', environment: 'prod', name: 'NPM_TOKEN' }],
      },
    },
    {
      id: 'rotate',
      name: 'rotate',
      phase: 'rotate',
      mutates: true,
      status: 'awaiting-approval',
      plan: { summary: 'rotate 1 key', irreversible: false },
    },
    { id: 'revoke', name: 'revoke', phase: 'revoke', mutates: true, status: 'failed', error: 'token API down' },
  ],
  obligations: [
    {
      id: 'insurer-notice',
      who: 'insurer',
      deadline: '2026-06-21T09:01:00.000Z',
      triggeredAt: '2026-06-18T09:01:00.000Z',
      description: 'notice',
    },
  ],
};

describe('notification packets', () => {
  const packet = buildPacket(source, { id: 'insurer', name: 'Cyber insurer' }, 'Not legal advice.');
  const section = (title: string) => packet.sections.find((s) => s.title === title)!.lines;

  it('takes every fact from the incident: advisory, window, counts, systems, credentials, actions, deadlines', () => {
    expect(packet.subject).toBe(
      'Security incident notice incident-acme-mastra: Mastra <script>alert(1)</script> compromise',
    );
    expect(section('Advisory')).toEqual([
      'Advisories: MAL-2026-6011',
      'Affected: npm @mastra/core 1.42.1',
      'Exposure window: 2026-06-17T04:00:00.000Z to 2026-06-17T10:00:00.000Z',
    ]);
    expect(section('Exposure')).toEqual([
      'Repositories with an affected install: 1',
      'Lockfile findings: 2',
      'CI runs inside the window: 1',
      'Self-hosted runners: 1',
      'Secrets readable by those runs: 1',
    ]);
    expect(section('Systems affected')).toEqual(['acme/web', 'acme/web: .github/workflows/ci.yml', 'runner build-1']);
    expect(section('Credentials affected (names only)')).toEqual(['NPM_TOKEN (environment prod, acme/web)']);
    expect(section('Actions pending')).toEqual(['rotate: rotate 1 key (awaiting-approval)']);
    expect(section('Notice deadlines')).toEqual(['insurer-notice (insurer): due 2026-06-21T09:01:00.000Z — notice']);
    expect(section('Open questions')).toEqual([
      'Could personal data have been exposed? (not yet assessed; record it with `cordon fact`)',
      '1 response step(s) have not finished: see "Actions pending"',
      'revoke failed: token API down',
    ]);
    // The timeline is in time order, with the obligation's start among the steps.
    const timeline = section('Timeline (UTC)');
    expect(timeline).toEqual([...timeline].sort());
    expect(timeline).toContain(
      '2026-06-18T09:01:00.000Z obligation insurer-notice started (due 2026-06-21T09:01:00.000Z)',
    );
  });

  it('renders Markdown with special characters escaped, and HTML with every fact escaped', () => {
    const md = renderMarkdown(packet);
    expect(
      md.startsWith(
        '# Security incident notice incident-acme-mastra: Mastra \\<script\\>alert(1)\\</script\\> compromise\n',
      ),
    ).toBe(true);
    expect(md).toContain('## Credentials affected (names only)\n\n- NPM\\_TOKEN (environment prod, acme/web)\n');
    const html = renderHtml(packet);
    expect(html).not.toContain('<script>');
    expect(html).toContain(
      '<title>Security incident notice incident-acme-mastra: Mastra &lt;script&gt;alert(1)&lt;/script&gt; compromise</title>',
    );
    expect(html).toContain('<li>NPM_TOKEN (environment prod, acme/web)</li>');
    // Same input, same bytes: the approval hash depends on it.
    expect(renderHtml(buildPacket(source, { id: 'insurer', name: 'Cyber insurer' }, 'Not legal advice.'))).toBe(html);
  });

  it('lists at most PACKET_LIST_LIMIT systems, then counts the rest (the packet travels in the history)', () => {
    const many = Array.from({ length: PACKET_LIST_LIMIT + 5 }, (_, i) => ({ owner: 'acme', name: `r${1000 + i}` }));
    const big = buildPacket(
      { ...source, steps: [{ ...source.steps[1]!, output: { exposedRepos: many } }] },
      { id: 'counsel', name: 'Counsel' },
      'n',
    );
    const systems = big.sections.find((s) => s.title === 'Systems affected')!.lines;
    expect(systems).toHaveLength(PACKET_LIST_LIMIT + 1);
    expect(systems.at(-1)).toBe('… and 5 more (full list in the incident record and its audit bundle)');
    expect(big.sections.find((s) => s.title === 'Exposure')!.lines[0]).toBe(
      `Repositories with an affected install: ${PACKET_LIST_LIMIT + 5}`,
    );
  });

  it('marks a drill in the subject and the incident section', () => {
    const drill = buildPacket({ ...source, drill: true }, { id: 'counsel', name: 'Counsel' }, 'n');
    expect(drill.subject.startsWith('[DRILL] ')).toBe(true);
    expect(drill.sections[0]!.lines[0]).toMatch(/\(drill: no real systems were affected\)/);
  });

  it("never says drill in a real incident's packet", () => {
    const real = buildPacket(source, { id: 'insurer', name: 'Insurer' }, 'n');
    expect(JSON.stringify(real)).not.toMatch(/drill/i);
  });

  it('lists a step left to people at pre-flight as still pending', () => {
    const steps = [
      ...source.steps,
      { id: 'rotate', name: 'Rotate keys', phase: 'rotate', mutates: true, status: 'manual' },
    ];
    const packet = buildPacket({ ...source, steps }, { id: 'counsel', name: 'Counsel' }, 'n');
    expect(packet.sections.find((s) => s.title === 'Actions pending')!.lines).toContain(
      'rotate: Rotate keys (manual: left to people)',
    );
  });
});
