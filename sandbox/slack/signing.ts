import { createHmac } from 'node:crypto';

/** Headers Slack adds to every request it sends an app. */
export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/**
 * Signs a request body exactly as Slack does: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the
 * app's signing secret (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
export function signSlackRequest(signingSecret: string, body: string, timestampSeconds: number): SlackSignatureHeaders {
  const ts = String(Math.floor(timestampSeconds));
  const digest = createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': ts, 'x-slack-signature': `v0=${digest}` };
}

/** What to send an app: a raw body, how it is encoded, and (for tests of refusal) a forged signature or old clock. */
export interface SignedRequest {
  body: string;
  contentType: 'application/x-www-form-urlencoded' | 'application/json';
  signingSecret: string;
  /** Seconds since the epoch. @default now */
  timestamp?: number;
  /** Replaces the computed signature (forgery tests). */
  signature?: string;
}

/** The app's answer to a signed request. */
export interface AppResponse {
  status: number;
  body: string;
  /** Milliseconds from sending to the full response (the ack). */
  elapsedMs: number;
}

/** Posts a signed request to an app's events URL over real HTTP, as Slack's servers would. */
export async function sendSignedRequest(url: string, req: SignedRequest): Promise<AppResponse> {
  const headers = signSlackRequest(req.signingSecret, req.body, req.timestamp ?? Date.now() / 1000);
  if (req.signature !== undefined) headers['x-slack-signature'] = req.signature;
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': req.contentType },
    body: req.body,
  });
  const body = await res.text();
  return { status: res.status, body, elapsedMs: performance.now() - started };
}
