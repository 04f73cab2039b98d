/** A message as the sandbox Slack stores it (what `conversations.history` returns). */
export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Set by `chat.update`: how many times the message was edited. */
  edited?: number;
}

/** An ephemeral message: shown to one user only, never stored in the channel. */
export interface SlackEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

/** A modal opened with `views.open`. */
export interface SlackView {
  id: string;
  triggerId: string;
  view: Record<string, unknown>;
}

/** A user group (`subteam`): id, handle, and member user ids. */
export interface SlackUserGroup {
  id: string;
  handle: string;
  users: string[];
}

/** A channel's facts as `conversations.create`/`conversations.list` return them. */
export interface SlackChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  created: number;
  creator: string;
  /** Member user ids (the bot included when it is a member). */
  members: string[];
}

/** What the sandbox workspace holds at start. */
export interface SlackWorkspaceSpec {
  /** Channel ids the bot is a member of (posting elsewhere is `not_in_channel`). */
  channels: string[];
  userGroups: SlackUserGroup[];
  /** The bot's own user id (author of its messages). @default 'UCORDONBOT' */
  botUserId?: string;
  /** @default 'T0CORDON' */
  teamId?: string;
}

/** The workspace's state: channels' messages, ephemerals, opened views, user groups. */
export class SlackWorkspace {
  readonly messages: SlackMessage[] = [];
  readonly ephemerals: SlackEphemeral[] = [];
  readonly views: SlackView[] = [];
  readonly channels: Set<string>;
  /**
   * Named channels (`conversations.create`/`list`/`invite`). Channels given at start are listed too, named after
   * their id in lowercase, with the bot as their only member.
   */
  readonly channelInfo = new Map<string, SlackChannel>();
  readonly userGroups: SlackUserGroup[];
  readonly botUserId: string;
  readonly teamId: string;
  /** Microseconds since the epoch of the last timestamp handed out. */
  private clock = 0;

  constructor(spec: SlackWorkspaceSpec) {
    this.channels = new Set(spec.channels);
    this.userGroups = spec.userGroups.map((g) => ({ ...g, users: [...g.users] }));
    this.botUserId = spec.botUserId ?? 'UCORDONBOT';
    this.teamId = spec.teamId ?? 'T0CORDON';
    for (const id of spec.channels)
      this.channelInfo.set(id, {
        id,
        name: id.toLowerCase(),
        is_private: false,
        is_archived: false,
        created: 0,
        creator: this.botUserId,
        members: [this.botUserId],
      });
  }

  /** Every user id the workspace knows: the bot and the members of its user groups. */
  knowsUser(id: string): boolean {
    return id === this.botUserId || this.userGroups.some((g) => g.users.includes(id));
  }

  /** A fresh message timestamp from `now` in seconds: `seconds.micro`, strictly increasing like Slack's `ts`. */
  nextTs(now: number): string {
    this.clock = Math.max(this.clock + 1, Math.floor(now * 1e6));
    return `${Math.floor(this.clock / 1e6)}.${String(this.clock % 1e6).padStart(6, '0')}`;
  }

  message(channel: string, ts: string): SlackMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }
}
