import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SocketModeServer } from './socket-mode';
import { SlackWorkspace, type SlackChannel, type SlackMessage, type SlackWorkspaceSpec } from './state';

/** Options of `startSlackSandbox`. */
export interface SlackSandboxOptions extends SlackWorkspaceSpec {
  /** The bot token accepted in `Authorization: Bearer`; anything else is `invalid_auth`. */
  botToken: string;
  /** The app-level token (`xapp-…`) accepted by `apps.connections.open`, enabling Socket Mode. */
  appToken?: string;
  /** @default 0 (an ephemeral port) */
  port?: number;
}

/** One Web API call the sandbox received (the token never recorded). */
export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
}

/** One post an app made to a `response_url`. */
export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
}

/** A running sandbox Slack. */
export interface SlackSandbox {
  /** Give the app this as `clientOptions.slackApiUrl` (ends with `/api/` like `https://slack.com/api/`). */
  apiUrl: string;
  workspace: SlackWorkspace;
  calls: RecordedCall[];
  responses: ResponsePost[];
  /** A fresh `response_url` for one request, answered by the sandbox. */
  responseUrl(): string;
  /** Slack's Socket Mode side, when an app token was given. */
  socketMode: SocketModeServer | undefined;
  stop(): Promise<void>;
}

type Args = Record<string, unknown>;
type Result = Record<string, unknown>;

class SlackApiError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

const str = (args: Args, name: string): string => {
  const v = args[name];
  if (typeof v !== 'string' || v === '') throw new SlackApiError('invalid_arguments');
  return v;
};

// The Web API takes form fields; Block Kit and metadata arrive as JSON strings inside them.
const JSON_FIELDS = ['blocks', 'attachments', 'metadata', 'view'];

function parseArgs(contentType: string, raw: string): Args {
  let args: Args;
  if (contentType.startsWith('application/json')) args = raw ? (JSON.parse(raw) as Args) : {};
  else args = Object.fromEntries(new URLSearchParams(raw));
  for (const f of JSON_FIELDS) {
    if (typeof args[f] === 'string') {
      try {
        args[f] = JSON.parse(args[f]);
      } catch {
        throw new SlackApiError(`invalid_${f}`);
      }
    }
  }
  return args;
}

/** A channel object in Slack's shape (the fields cordon and most apps read). */
function channelJson(c: SlackChannel, botUserId: string): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    is_channel: !c.is_private,
    is_group: c.is_private,
    is_im: false,
    is_private: c.is_private,
    is_archived: c.is_archived,
    is_general: false,
    created: c.created,
    creator: c.creator,
    is_member: c.members.includes(botUserId),
    num_members: c.members.length,
  };
}

/**
 * Starts a Slack Web API server on 127.0.0.1 for one workspace: it checks the bot token, answers in Slack's shapes
 * (`{ok:true,…}` / `{ok:false,error}`, HTTP 200 either way), keeps messages so `chat.update` edits them in place, and
 * records every call. It also answers `response_url` posts, so an app's `respond()` lands here too.
 */
export async function startSlackSandbox(options: SlackSandboxOptions): Promise<SlackSandbox> {
  const ws = new SlackWorkspace(options);
  const calls: RecordedCall[] = [];
  const responses: ResponsePost[] = [];
  const inChannel = (args: Args): string => {
    const channel = str(args, 'channel');
    if (!ws.channels.has(channel)) throw new SlackApiError('channel_not_found');
    return channel;
  };
  const now = (): number => Date.now() / 1000;

  const methods: Record<string, (args: Args) => Result> = {
    'auth.test': () => ({
      url: 'https://cordon-sandbox.slack.com/',
      team: 'cordon sandbox',
      user: 'cordon',
      team_id: ws.teamId,
      user_id: ws.botUserId,
      bot_id: 'B0CORDON',
    }),
    'chat.postMessage': (args) => {
      const channel = inChannel(args);
      if (typeof args.text !== 'string' && !Array.isArray(args.blocks)) throw new SlackApiError('no_text');
      const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
      if (threadTs && !ws.message(channel, threadTs)) throw new SlackApiError('thread_not_found');
      const m: SlackMessage = {
        channel,
        ts: ws.nextTs(now()),
        user: ws.botUserId,
        text: typeof args.text === 'string' ? args.text : '',
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(args.metadata ? { metadata: args.metadata as NonNullable<SlackMessage['metadata']> } : {}),
      };
      ws.messages.push(m);
      return { channel, ts: m.ts, message: { type: 'message', ...m } };
    },
    'chat.update': (args) => {
      const channel = inChannel(args);
      const m = ws.message(channel, str(args, 'ts'));
      if (!m) throw new SlackApiError('message_not_found');
      if (typeof args.text === 'string') m.text = args.text;
      if (Array.isArray(args.blocks)) m.blocks = args.blocks;
      if (args.metadata) m.metadata = args.metadata as NonNullable<SlackMessage['metadata']>;
      m.edited = (m.edited ?? 0) + 1;
      return { channel, ts: m.ts, text: m.text, message: { ...m } };
    },
    'chat.postEphemeral': (args) => {
      const channel = inChannel(args);
      ws.ephemerals.push({
        channel,
        user: str(args, 'user'),
        text: typeof args.text === 'string' ? args.text : '',
        ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
        ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
      });
      return { message_ts: ws.nextTs(now()) };
    },
    'views.open': (args) => {
      const triggerId = str(args, 'trigger_id');
      if (typeof args.view !== 'object' || args.view === null) throw new SlackApiError('invalid_arguments');
      const view = { id: `V${randomUUID().slice(0, 8).toUpperCase()}`, triggerId, view: args.view as Args };
      ws.views.push(view);
      return { view: { id: view.id, ...view.view } };
    },
    'usergroups.list': () => ({
      usergroups: ws.userGroups.map((g) => ({ id: g.id, handle: g.handle, name: g.handle, team_id: ws.teamId })),
    }),
    'usergroups.users.list': (args) => {
      const id = str(args, 'usergroup');
      const g = ws.userGroups.find((x) => x.id === id);
      if (!g) throw new SlackApiError('no_such_subteam');
      return { users: [...g.users] };
    },
    'conversations.history': (args) => {
      const channel = inChannel(args);
      const limit = Math.min(Number(args.limit ?? 100) || 100, 1000);
      const withMeta = String(args.include_all_metadata) === 'true';
      // Newest first, top-level messages only, as Slack returns them.
      const top = ws.messages.filter((m) => m.channel === channel && !m.thread_ts).reverse();
      return {
        messages: top
          .slice(0, limit)
          .map(({ metadata, ...m }) => ({ type: 'message', ...m, ...(withMeta && metadata ? { metadata } : {}) })),
        has_more: top.length > limit,
      };
    },
    'conversations.open': (args) => {
      // A DM with one user: its channel id is derived from the user, and the bot may post there.
      const users = str(args, 'users');
      if (users.includes(',')) throw new SlackApiError('not_supported');
      const id = `D${users.slice(1)}`;
      ws.channels.add(id);
      return { channel: { id } };
    },
    'conversations.create': (args) => {
      const name = typeof args.name === 'string' ? args.name : '';
      // Slack's own validation, in its order: required, length, then characters.
      if (!name) throw new SlackApiError('invalid_name_required');
      if (name.length > 80) throw new SlackApiError('invalid_name_maxlength');
      if (!/^[a-z0-9_-]+$/.test(name)) throw new SlackApiError('invalid_name_specials');
      // Archived channels keep their name: creating it again is name_taken too.
      if ([...ws.channelInfo.values()].some((c) => c.name === name)) throw new SlackApiError('name_taken');
      const c: SlackChannel = {
        id: `C${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
        name,
        is_private: String(args.is_private) === 'true',
        is_archived: false,
        created: Math.floor(now()),
        creator: ws.botUserId,
        members: [ws.botUserId],
      };
      ws.channelInfo.set(c.id, c);
      ws.channels.add(c.id);
      return { channel: channelJson(c, ws.botUserId) };
    },
    'conversations.list': (args) => {
      // Cursor pagination as Slack does it: an opaque next_cursor, '' on the last page.
      const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 1000);
      const types = String(args.types ?? 'public_channel').split(',');
      const excludeArchived = String(args.exclude_archived) === 'true';
      const all = [...ws.channelInfo.values()].filter(
        (c) =>
          types.includes(c.is_private ? 'private_channel' : 'public_channel') &&
          !(excludeArchived && c.is_archived) &&
          // Private channels are listed only to their members.
          (!c.is_private || c.members.includes(ws.botUserId)),
      );
      let start = 0;
      if (typeof args.cursor === 'string' && args.cursor !== '') {
        const m = /^offset:(\d+)$/.exec(Buffer.from(args.cursor, 'base64').toString('utf8'));
        if (!m) throw new SlackApiError('invalid_cursor');
        start = Number(m[1]);
      }
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
      return { channels: page.map((c) => channelJson(c, ws.botUserId)), response_metadata: { next_cursor: next } };
    },
    'conversations.join': (args) => {
      const c = ws.channelInfo.get(inChannel(args));
      if (!c || c.is_private) throw new SlackApiError('method_not_supported_for_channel_type');
      if (c.is_archived) throw new SlackApiError('is_archived');
      if (!c.members.includes(ws.botUserId)) c.members.push(ws.botUserId);
      return { channel: channelJson(c, ws.botUserId) };
    },
    'conversations.invite': (args) => {
      const c = ws.channelInfo.get(inChannel(args));
      if (!c) throw new SlackApiError('channel_not_found');
      if (c.is_archived) throw new SlackApiError('is_archived');
      if (!c.members.includes(ws.botUserId)) throw new SlackApiError('not_in_channel');
      const users = str(args, 'users').split(',');
      const errors: { user: string; ok: false; error: string }[] = [];
      for (const u of users) {
        const error =
          u === ws.botUserId
            ? 'cant_invite_self'
            : !ws.knowsUser(u)
              ? 'user_not_found'
              : c.members.includes(u)
                ? 'already_in_channel'
                : undefined;
        if (error) errors.push({ user: u, ok: false, error });
      }
      // Without force one bad id fails the whole call; with force the valid ones are invited and the rest reported.
      const force = String(args.force) === 'true';
      if (errors.length > 0 && (!force || errors.length === users.length)) throw new SlackApiError(errors[0]!.error);
      for (const u of users) if (!errors.some((e) => e.user === u)) c.members.push(u);
      return { channel: channelJson(c, ws.botUserId), ...(errors.length > 0 ? { errors } : {}) };
    },
    'conversations.replies': (args) => {
      const channel = inChannel(args);
      const ts = str(args, 'ts');
      const root = ws.message(channel, ts);
      if (!root) throw new SlackApiError('thread_not_found');
      const replies = ws.messages.filter((m) => m.channel === channel && m.thread_ts === ts);
      return { messages: [root, ...replies].map((m) => ({ type: 'message', ...m })), has_more: false };
    },
  };

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return send(res, 400, { ok: false, error: 'invalid_payload' });
      }
      responses.push({ id: url.pathname.slice('/response/'.length), body });
      return send(res, 200, { ok: true });
    }
    const match = /^\/api\/([a-zA-Z.]+)$/.exec(url.pathname);
    if (!match || req.method !== 'POST') return send(res, 404, { ok: false, error: 'unknown_method' });
    const method = match[1]!;
    let args: Args = {};
    const record = (result: Result | { error: string }): void => {
      const error = 'error' in result ? String(result.error) : undefined;
      calls.push({ method, args, ok: !error, ...(error ? { error } : {}) });
      send(res, 200, error ? { ok: false, error } : { ok: true, ...result });
    };
    try {
      args = parseArgs(req.headers['content-type'] ?? '', raw);
      delete args.token;
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      if (!token) throw new SlackApiError('not_authed');
      // Socket Mode's connection call takes the app-level token; every other method the bot token.
      if (method === 'apps.connections.open') {
        if (!socketMode || token !== options.appToken) throw new SlackApiError('invalid_auth');
        return record({ url: socketMode.openUrl(base) });
      }
      if (token !== options.botToken) throw new SlackApiError('invalid_auth');
      const fn = methods[method];
      if (!fn) throw new SlackApiError('unknown_method');
      record(fn(args));
    } catch (err) {
      record({ error: err instanceof SlackApiError ? err.code : 'internal_error' });
    }
  };

  let base = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  const socketMode = options.appToken ? new SocketModeServer(server) : undefined;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl: `${base}/api/`,
    workspace: ws,
    calls,
    responses,
    responseUrl: () => `${base}/response/${randomUUID()}`,
    socketMode,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        socketMode?.close();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
