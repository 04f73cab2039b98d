import type { webApi } from '@slack/bolt';

/**
 * Resolves approver groups to Slack user ids through user groups, at the moment a request is made (so membership
 * changes apply to the next request, and history records exactly who could approve this one).
 */
export class SlackUserGroups {
  private handles: Map<string, string> | undefined;

  /** `mapping`: approver group → user group id (`S…`) or `@handle`. */
  constructor(
    private readonly web: webApi.WebClient,
    private readonly mapping: Record<string, string>,
  ) {}

  /** The user group id an approver group maps to: the configured id or handle, else a user group of the same handle. */
  async idOf(group: string): Promise<string | undefined> {
    const ref = this.mapping[group] ?? `@${group}`;
    if (!ref.startsWith('@')) return ref;
    // Listed once per process: user groups are created rarely, and an unknown handle falls back to static groups.
    if (!this.handles) {
      const res = await this.web.usergroups.list({});
      this.handles = new Map((res.usergroups ?? []).map((g) => [`@${g.handle ?? ''}`, g.id ?? '']));
    }
    return this.handles.get(ref);
  }

  /** Members' Slack user ids, or undefined when no Slack user group answers to the approver group. */
  async members(group: string): Promise<string[] | undefined> {
    const id = await this.idOf(group);
    if (!id) return undefined;
    const res = await this.web.usergroups.users.list({ usergroup: id });
    return [...(res.users ?? [])].sort();
  }
}
