import type { OrgSpec } from '../org-spec';
import type { SeededTruth } from './org';

const HOUR = 3_600_000;

/**
 * Adds what the revoke-tokens phase acts on to a generated organisation, for drills: fine-grained PATs with org
 * access (two used inside the exposure window, one last used before it) and, on the first exposed repository, a
 * deploy key added inside the window next to one from long before. Returns the ids the drill should revoke.
 */
export function addDrillTokens(spec: OrgSpec, truth: SeededTruth): { pats: number[]; deployKeys: number[] } {
  const since = Date.parse(truth.window.since);
  const at = (hours: number) => new Date(since + hours * HOUR).toISOString();
  spec.personalAccessTokens = [
    ...(spec.personalAccessTokens ?? []),
    { id: 801, tokenId: 9801, tokenName: 'release-bot', ownerLogin: 'dev-release', tokenLastUsedAt: at(3) },
    { id: 802, tokenId: 9802, tokenName: 'laptop-cli', ownerLogin: 'dev-alice', tokenLastUsedAt: at(5) },
    { id: 803, tokenId: 9803, tokenName: 'old-report', ownerLogin: 'dev-bob', tokenLastUsedAt: at(-200) },
  ];
  const repo = spec.repos?.find((r) => r.name === truth.exposedRepos[0]);
  if (repo)
    repo.deployKeys = [
      ...(repo.deployKeys ?? []),
      { id: 901, title: 'deploy (2025)', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIdrillold', createdAt: at(-5000) },
      {
        id: 902,
        title: 'added during the window',
        key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIdrillnew',
        createdAt: at(4),
      },
    ];
  return { pats: [801, 802], deployKeys: repo ? [902] : [] };
}
