/** Which requests a rate-limit rule applies to: an operationId, a path template, or a RegExp over `METHOD /path`. */
export type RequestMatcher = string | RegExp;

/** A rate limit to inject into the sandbox's answers. */
export interface RateLimitRule {
  /**
   * `primary`: the token's quota is spent — every request fails until the reset time, with
   * `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (epoch seconds).
   * `secondary`: only the triggering request fails, with `retry-after` and a "secondary rate limit" message.
   * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api
   */
  kind: 'primary' | 'secondary';
  /** GitHub answers either. @default 403 */
  status?: 403 | 429;
  /** Requests the rule watches. @default every request */
  match?: RequestMatcher;
  /** How many times the rule fires before it retires. @default 1 (unbounded when `every` is set) */
  count?: number;
  /** Fire on every Kth matching request instead of the next ones. */
  every?: number;
  /** Primary: how long until the quota resets. @default 1000 */
  resetAfterMs?: number;
  /** Secondary: the `retry-after` value in seconds. @default 1 */
  retryAfterSeconds?: number;
}

/** A handle on an injected rule. */
export interface InjectedRateLimit {
  /** How many responses the rule has turned into rate-limit errors. */
  readonly triggered: number;
  /** Stops the rule (a quota it exhausted still resets on time). */
  remove(): void;
}

/** The request facts a rule is matched against. */
export interface RateLimitedRequest {
  token: string;
  method: string;
  path: string;
  operationId: string;
  pathTemplate: string;
}

/** A rate-limit refusal to send instead of the handler's answer. */
export interface RateLimitRefusal {
  status: number;
  message: string;
  documentationUrl: string;
  headers: Record<string, string>;
}

interface Quota {
  used: number;
  resetAt: number;
  exhaustedUntil: number;
}

interface LiveRule extends Required<Pick<RateLimitRule, 'kind' | 'status'>> {
  rule: RateLimitRule;
  seen: number;
  triggered: number;
  active: boolean;
}

const DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';
const HOUR_MS = 3_600_000;

/**
 * Per-token quota accounting (the `core` resource) plus injected primary/secondary limits. Headers follow
 * https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit
 */
export class RateLimiter {
  private readonly quotas = new Map<string, Quota>();
  private readonly rules: LiveRule[] = [];

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a rule; rules are checked in the order they were added. */
  inject(rule: RateLimitRule): InjectedRateLimit {
    const live: LiveRule = { rule, kind: rule.kind, status: rule.status ?? 403, seen: 0, triggered: 0, active: true };
    this.rules.push(live);
    return {
      get triggered() {
        return live.triggered;
      },
      remove: () => {
        live.active = false;
      },
    };
  }

  /** Decides whether this request is refused for rate limiting; otherwise counts it against the quota. */
  admit(req: RateLimitedRequest): RateLimitRefusal | undefined {
    const quota = this.quota(req.token);
    const now = this.now();
    if (now < quota.exhaustedUntil) return this.primaryRefusal(quota, 403);
    for (const live of this.rules) {
      if (!live.active || !matches(live.rule.match, req)) continue;
      live.seen += 1;
      const fires = live.rule.every ? live.seen % live.rule.every === 0 : true;
      if (!fires) continue;
      live.triggered += 1;
      const limit = live.rule.count ?? (live.rule.every ? Infinity : 1);
      if (live.triggered >= limit) live.active = false;
      if (live.kind === 'primary') {
        // The reset header has whole seconds; align the quota's reset to it so header and behaviour agree.
        quota.exhaustedUntil = Math.ceil((now + (live.rule.resetAfterMs ?? 1000)) / 1000) * 1000;
        return this.primaryRefusal(quota, live.status);
      }
      const retryAfter = live.rule.retryAfterSeconds ?? 1;
      return {
        status: live.status,
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
          'If you reach out to GitHub Support for help, please include the request ID.',
        documentationUrl: `${DOCS}#about-secondary-rate-limits`,
        headers: { ...this.headers(req.token), 'retry-after': String(retryAfter) },
      };
    }
    if (quota.used >= this.limit) {
      quota.exhaustedUntil = quota.resetAt;
      return this.primaryRefusal(quota, 403);
    }
    quota.used += 1;
    return undefined;
  }

  /** The `x-ratelimit-*` headers for a token's current quota. */
  headers(token: string): Record<string, string> {
    const quota = this.quota(token);
    const exhausted = this.now() < quota.exhaustedUntil;
    const reset = exhausted ? quota.exhaustedUntil : quota.resetAt;
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(exhausted ? 0 : Math.max(0, this.limit - quota.used)),
      'x-ratelimit-reset': String(Math.ceil(reset / 1000)),
      'x-ratelimit-used': String(exhausted ? this.limit : quota.used),
      'x-ratelimit-resource': 'core',
    };
  }

  private primaryRefusal(quota: Quota, status: number): RateLimitRefusal {
    return {
      status,
      message:
        'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.',
      documentationUrl: `${DOCS}#about-primary-rate-limits`,
      headers: {
        'x-ratelimit-limit': String(this.limit),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil(quota.exhaustedUntil / 1000)),
        'x-ratelimit-used': String(this.limit),
        'x-ratelimit-resource': 'core',
      },
    };
  }

  private quota(token: string): Quota {
    const now = this.now();
    let quota = this.quotas.get(token);
    if (!quota || now >= quota.resetAt) {
      quota = { used: 0, resetAt: now + HOUR_MS, exhaustedUntil: quota?.exhaustedUntil ?? 0 };
      this.quotas.set(token, quota);
    }
    return quota;
  }
}

function matches(matcher: RequestMatcher | undefined, req: RateLimitedRequest): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return matcher === req.operationId || matcher === req.pathTemplate;
  return matcher.test(`${req.method} ${req.path}`);
}
