/** A GraphQL-style node id; GitHub's are opaque base64 strings with a type prefix. */
export function nodeId(prefix: string, id: number | string): string {
  return `${prefix}_${Buffer.from(String(id)).toString('base64url')}`;
}

/** Where github.com pages would live; only used for `html_url` fields. */
export const HTML_BASE = 'https://github.com';

/** The `simple-user` shape for a user or organisation account. */
export function simpleUser(base: string, login: string, id: number, type: 'User' | 'Organization' | 'Bot' = 'User') {
  const url = `${base}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId(type === 'Organization' ? 'O' : 'U', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: `${HTML_BASE}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
  };
}

/** The account cordon's sandbox acts as when it creates things (deployments, PRs, statuses). */
export const SANDBOX_ACTOR = { login: 'cordon-bot', id: 4242 };
