import sodium from 'libsodium-wrappers';
import type { GitHubClient } from '../github/client';
import { call, repoParams } from '../github/contain/targets';
import type { SecretLocation } from './identities';

/**
 * Writes a value into a GitHub Actions secret: fetches the scope's public key, seals the value in a libsodium
 * sealed box for it and PUTs the box. The value goes from here to GitHub and nowhere else.
 * https://docs.github.com/rest/guides/encrypting-secrets-for-the-rest-api
 */
export async function writeActionsSecret(octokit: GitHubClient, l: SecretLocation, value: string): Promise<void> {
  await sodium.ready;
  const seal = (key: string) =>
    sodium.to_base64(
      sodium.crypto_box_seal(sodium.from_string(value), sodium.from_base64(key, sodium.base64_variants.ORIGINAL)),
      sodium.base64_variants.ORIGINAL,
    );
  const what = `write ${l.scope} secret ${l.name}${l.repo ? ` of ${l.repo}` : ` of ${l.org}`}`;
  if (l.scope === 'organization') {
    // PUT needs the visibility; keep what the secret has (and, for `selected`, its repository list, left unsent).
    const { data: current } = await call(what, () =>
      octokit.rest.actions.getOrgSecret({ org: l.org, secret_name: l.name }),
    );
    const { data: key } = await call(what, () => octokit.rest.actions.getOrgPublicKey({ org: l.org }));
    await call(what, () =>
      octokit.rest.actions.createOrUpdateOrgSecret({
        org: l.org,
        secret_name: l.name,
        encrypted_value: seal(key.key),
        key_id: key.key_id,
        visibility: current.visibility,
      }),
    );
    return;
  }
  const p = repoParams(l.repo!);
  if (l.scope === 'environment') {
    const env = { ...p, environment_name: l.environment! };
    const { data: key } = await call(what, () => octokit.rest.actions.getEnvironmentPublicKey(env));
    await call(what, () =>
      octokit.rest.actions.createOrUpdateEnvironmentSecret({
        ...env,
        secret_name: l.name,
        encrypted_value: seal(key.key),
        key_id: key.key_id,
      }),
    );
    return;
  }
  const { data: key } = await call(what, () => octokit.rest.actions.getRepoPublicKey({ ...p }));
  await call(what, () =>
    octokit.rest.actions.createOrUpdateRepoSecret({
      ...p,
      secret_name: l.name,
      encrypted_value: seal(key.key),
      key_id: key.key_id,
    }),
  );
}
