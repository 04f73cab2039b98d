import { notFound } from '../errors';
import { noContent, ok, type HandlerContext, type RouteTable } from '../handler';
import { simpleUser } from '../serialize/common';
import { repoUrl } from '../serialize/git';

function pats(ctx: HandlerContext) {
  return [...ctx.state.personalAccessTokens.values()].filter((p) => !p.revoked);
}

/**
 * Credentials cordon revokes: fine-grained PATs granted to the organisation, deploy keys, and leaked tokens
 * reported to GitHub's credential-revocation API.
 * https://docs.github.com/rest/orgs/personal-access-tokens, https://docs.github.com/rest/credentials/revoke
 */
export const credentialRoutes: RouteTable = {
  'orgs/list-pat-grants': (ctx) => {
    ctx.org();
    const q = ctx.query as { owner?: string[]; token_id?: string[] };
    const all = pats(ctx)
      .filter((p) => !q.owner || q.owner.includes(p.ownerLogin))
      .filter((p) => !q.token_id || q.token_id.map(Number).includes(p.tokenId))
      .sort((a, b) => a.id - b.id);
    return ok(
      ctx.page(all).map((p) => ({
        id: p.id,
        owner: simpleUser(ctx.baseUrl, p.ownerLogin, 10_000 + p.id),
        repository_selection: p.repositorySelection,
        repositories_url: `${ctx.baseUrl}/orgs/${ctx.state.org.login}/personal-access-tokens/${p.id}/repositories`,
        permissions: p.permissions,
        access_granted_at: p.accessGrantedAt,
        token_id: p.tokenId,
        token_name: p.tokenName,
        token_expired: p.tokenExpiresAt !== null && Date.parse(p.tokenExpiresAt) < ctx.now().getTime(),
        token_expires_at: p.tokenExpiresAt,
        token_last_used_at: p.tokenLastUsedAt,
      })),
    );
  },
  'orgs/update-pat-accesses': (ctx) => {
    ctx.org();
    const { pat_ids } = ctx.body as { action: 'revoke'; pat_ids: number[] };
    for (const id of pat_ids) {
      const p = ctx.state.personalAccessTokens.get(id);
      if (p) p.revoked = true;
    }
    return { status: 202, body: {} };
  },
  'orgs/update-pat-access': (ctx) => {
    ctx.org();
    const p = ctx.state.personalAccessTokens.get(Number(ctx.params.pat_id));
    if (!p || p.revoked) throw notFound();
    p.revoked = true;
    return noContent();
  },
  'repos/list-deploy-keys': (ctx) => {
    const repo = ctx.repo();
    const all = [...repo.deployKeys.values()].sort((a, b) => a.id - b.id);
    return ok(
      ctx.page(all).map((k) => ({
        id: k.id,
        key: k.key,
        url: `${repoUrl(ctx.baseUrl, ctx.state, repo)}/keys/${k.id}`,
        title: k.title,
        verified: true,
        created_at: k.createdAt,
        read_only: k.readOnly,
        added_by: null,
        last_used: null,
        enabled: true,
      })),
    );
  },
  'repos/delete-deploy-key': (ctx) => {
    if (!ctx.repo().deployKeys.delete(Number(ctx.params.key_id))) throw notFound();
    return noContent();
  },
  'credentials/revoke': (ctx) => {
    ctx.state.revokedCredentials.push(...(ctx.body as { credentials: string[] }).credentials);
    return { status: 202, body: {} };
  },
};
