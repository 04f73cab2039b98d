/** An error a handler throws to answer with GitHub's error shape: `{message, documentation_url, status}`. */
export class GitHubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra members of the error body, e.g. `errors` of a 422. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** 404 as GitHub sends it for a missing resource or one the token cannot see. */
export function notFound(): GitHubHttpError {
  return new GitHubHttpError(404, 'Not Found');
}

/** 422 "Validation Failed" with GitHub's `errors` list. */
export function validationFailed(message: string, field?: string): GitHubHttpError {
  return new GitHubHttpError(422, 'Validation Failed', {
    errors: [{ resource: 'Request', code: 'custom', ...(field ? { field } : {}), message }],
  });
}

/** 409, e.g. cancelling a run that already completed. */
export function conflict(message: string): GitHubHttpError {
  return new GitHubHttpError(409, message);
}

/**
 * The JSON body GitHub returns with every error. `status` is a string, as GitHub sends it.
 * https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api
 */
export function errorBody(
  status: number,
  message: string,
  documentationUrl: string,
  extra: Record<string, unknown> = {},
) {
  return { message, documentation_url: documentationUrl, status: String(status), ...extra };
}
