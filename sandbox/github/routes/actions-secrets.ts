import { conflict, notFound, validationFailed } from '../errors';
import { noContent, ok, type HandlerContext, type HandlerResult, type RouteTable } from '../handler';
import type { SecretScope } from '../sealed-box';
import { environment, orgSecret, secret } from '../serialize/actions';
import { minimalRepository } from '../serialize/repository';
import type { OrgSecretState, RepoState, SecretState } from '../state';

function envOf(ctx: HandlerContext, repo: RepoState) {
  const env = repo.environments.get(ctx.params.environment_name ?? '');
  if (!env) throw notFound();
  return env;
}

function listSecrets(ctx: HandlerContext, secrets: Map<string, SecretState>): HandlerResult {
  const all = [...secrets.values()].sort((a, b) => a.name.localeCompare(b.name));
  return ok({ total_count: all.length, secrets: ctx.page(all).map(secret) });
}

function getSecret(ctx: HandlerContext, secrets: Map<string, SecretState>): HandlerResult {
  const s = secrets.get(ctx.params.secret_name ?? '');
  if (!s) throw notFound();
  return ok(secret(s));
}

/** Opens the sealed box and stores the value: 201 when created, 204 when updated, as GitHub answers. */
function putSecret(ctx: HandlerContext, scope: SecretScope, secrets: Map<string, SecretState>): HandlerResult {
  const { encrypted_value, key_id } = ctx.body as { encrypted_value: string; key_id: string };
  const value = ctx.keyring.open(scope, key_id, encrypted_value);
  const name = ctx.params.secret_name ?? '';
  const now = ctx.now().toISOString();
  const existing = secrets.get(name);
  if (existing) {
    existing.value = value;
    existing.updatedAt = now;
    return noContent();
  }
  secrets.set(name, { name, createdAt: now, updatedAt: now, value });
  return { status: 201, body: {} };
}

function deleteSecret(ctx: HandlerContext, secrets: Map<string, SecretState>): HandlerResult {
  if (!secrets.delete(ctx.params.secret_name ?? '')) throw notFound();
  return noContent();
}

function orgSecretOf(ctx: HandlerContext): OrgSecretState {
  ctx.org();
  const s = ctx.state.orgSecrets.get(ctx.params.secret_name ?? '');
  if (!s) throw notFound();
  return s;
}

function repoNamesById(ctx: HandlerContext, ids: number[]): string[] {
  return ids.map((id) => {
    const repo = [...ctx.state.repos.values()].find((r) => r.id === id);
    if (!repo) throw validationFailed(`repository ${id} not found`, 'selected_repository_ids');
    return repo.name.toLowerCase();
  });
}

/**
 * Actions secrets at repository, environment and organisation level: names and dates only on read; writes are
 * libsodium sealed boxes for the scope's public key. https://docs.github.com/rest/actions/secrets
 */
export const secretRoutes: RouteTable = {
  'actions/get-repo-public-key': (ctx) => ok(ctx.keyring.publicKey({ repo: ctx.repo().name })),
  'actions/list-repo-secrets': (ctx) => listSecrets(ctx, ctx.repo().secrets),
  'actions/get-repo-secret': (ctx) => getSecret(ctx, ctx.repo().secrets),
  'actions/create-or-update-repo-secret': (ctx) => {
    const repo = ctx.repo();
    return putSecret(ctx, { repo: repo.name }, repo.secrets);
  },
  'actions/delete-repo-secret': (ctx) => deleteSecret(ctx, ctx.repo().secrets),

  'repos/get-all-environments': (ctx) => {
    const repo = ctx.repo();
    const all = [...repo.environments.values()];
    return ok({
      total_count: all.length,
      environments: ctx.page(all).map((e) => environment(ctx.baseUrl, ctx.state, repo, e)),
    });
  },
  'repos/get-environment': (ctx) => {
    const repo = ctx.repo();
    return ok(environment(ctx.baseUrl, ctx.state, repo, envOf(ctx, repo)));
  },
  'actions/get-environment-public-key': (ctx) => {
    const repo = ctx.repo();
    return ok(ctx.keyring.publicKey({ repo: repo.name, environment: envOf(ctx, repo).name }));
  },
  'actions/list-environment-secrets': (ctx) => listSecrets(ctx, envOf(ctx, ctx.repo()).secrets),
  'actions/get-environment-secret': (ctx) => getSecret(ctx, envOf(ctx, ctx.repo()).secrets),
  'actions/create-or-update-environment-secret': (ctx) => {
    const repo = ctx.repo();
    const env = envOf(ctx, repo);
    return putSecret(ctx, { repo: repo.name, environment: env.name }, env.secrets);
  },
  'actions/delete-environment-secret': (ctx) => deleteSecret(ctx, envOf(ctx, ctx.repo()).secrets),

  'actions/get-org-public-key': (ctx) => {
    ctx.org();
    return ok(ctx.keyring.publicKey({ org: true }));
  },
  'actions/list-org-secrets': (ctx) => {
    ctx.org();
    const all = [...ctx.state.orgSecrets.values()].sort((a, b) => a.name.localeCompare(b.name));
    return ok({
      total_count: all.length,
      secrets: ctx.page(all).map((s) => orgSecret(ctx.baseUrl, ctx.state.org.login, s)),
    });
  },
  'actions/get-org-secret': (ctx) => ok(orgSecret(ctx.baseUrl, ctx.state.org.login, orgSecretOf(ctx))),
  'actions/create-or-update-org-secret': (ctx) => {
    ctx.org();
    const body = ctx.body as {
      encrypted_value?: string;
      key_id?: string;
      visibility: OrgSecretState['visibility'];
      selected_repository_ids?: number[];
    };
    const name = ctx.params.secret_name ?? '';
    const now = ctx.now().toISOString();
    const selected = new Set(repoNamesById(ctx, body.selected_repository_ids ?? []));
    const value =
      body.encrypted_value !== undefined && body.key_id !== undefined
        ? ctx.keyring.open({ org: true }, body.key_id, body.encrypted_value)
        : undefined;
    const existing = ctx.state.orgSecrets.get(name);
    if (existing) {
      if (value !== undefined) existing.value = value;
      existing.visibility = body.visibility;
      if (body.selected_repository_ids) existing.selectedRepositories = selected;
      existing.updatedAt = now;
      return noContent();
    }
    if (value === undefined) throw validationFailed('encrypted_value and key_id are required to create a secret');
    ctx.state.orgSecrets.set(name, {
      name,
      createdAt: now,
      updatedAt: now,
      value,
      visibility: body.visibility,
      selectedRepositories: selected,
    });
    return { status: 201, body: {} };
  },
  'actions/delete-org-secret': (ctx) => {
    ctx.org();
    if (!ctx.state.orgSecrets.delete(ctx.params.secret_name ?? '')) throw notFound();
    return noContent();
  },
  'actions/list-selected-repos-for-org-secret': (ctx) => {
    const s = orgSecretOf(ctx);
    // Only `selected` secrets have a repository list. https://docs.github.com/rest/actions/secrets#list-selected-repositories-for-an-organization-secret
    if (s.visibility !== 'selected') throw conflict('Secret visibility is not selected');
    const repos = ctx.state.reposReadingOrgSecret(s).sort((a, b) => a.id - b.id);
    return ok({
      total_count: repos.length,
      repositories: ctx.page(repos).map((r) => minimalRepository(ctx.baseUrl, ctx.state, r)),
    });
  },
  'actions/set-selected-repos-for-org-secret': (ctx) => {
    const s = orgSecretOf(ctx);
    if (s.visibility !== 'selected') throw conflict('Secret visibility is not selected');
    s.selectedRepositories = new Set(
      repoNamesById(ctx, (ctx.body as { selected_repository_ids: number[] }).selected_repository_ids),
    );
    return noContent();
  },
  'actions/list-repo-organization-secrets': (ctx) => {
    const repo = ctx.repo();
    const all = [...ctx.state.orgSecrets.values()]
      .filter((s) => ctx.state.reposReadingOrgSecret(s).includes(repo))
      .sort((a, b) => a.name.localeCompare(b.name));
    return ok({ total_count: all.length, secrets: ctx.page(all).map(secret) });
  },
};
