import { ApplicationFailure } from '@temporalio/common';
import { NOT_FOUND, type RegistryKind } from '../../lockfiles/registries';

/** How a registry client reaches its registry: the fetch to use and the headers every request carries. */
export interface RegistryHttp {
  fetch: typeof fetch;
  headers: Record<string, string>;
}

/** A base URL without trailing slashes, so paths join with one. */
export const trimUrl = (url: string): string => url.replace(/\/+$/, '');

/** The `authorization` header of a bearer token, or none. */
export const bearer = (token: string | undefined): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

/**
 * GET `url`: the response when it is ok, undefined when its status says the package is not there (`missing`), else
 * a plain error naming `what` and the status. fetch resolves whatever the status, so the check is here; a plain error
 * leaves the retry to the activity's policy, which is right for a registry that is down or rate-limiting.
 */
export async function registryGet(
  http: RegistryHttp,
  url: string,
  what: string,
  options: { accept?: string; missing?: readonly number[] } = {},
): Promise<Response | undefined> {
  const headers = options.accept ? { ...http.headers, accept: options.accept } : http.headers;
  const res = await http.fetch(url, { headers });
  if ((options.missing ?? [404]).includes(res.status)) return undefined;
  if (!res.ok) throw new Error(`${what} answered ${res.status}`);
  return res;
}

/** The non-retryable failure of a package the registry does not have, with the type the pinners recognise. */
export function notFoundFailure(kind: RegistryKind, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: NOT_FOUND[kind], message, nonRetryable: true });
}
