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

  /** Whether the approver group maps to a Slack user group at all. */
  maps(group: string): boolean {
    return group in this.mapping;
  }

  /** The user group id an approver group maps to, or undefined when it maps to none. */
  async idOf(group: string): Promise<string | undefined> {
    const ref = this.mapping[group];
    if (!ref || !ref.startsWith('@')) return ref;
    if (!this.handles) {
      const res = await this.web.usergroups.list({});
      this.handles = new Map((res.usergroups ?? []).map((g) => [`@${g.handle ?? ''}`, g.id ?? '']));
    }
    return this.handles.get(ref);
  }

  /** Members' Slack user ids, or undefined when the group is not mapped or its handle names no user group. */
  async members(group: string): Promise<string[] | undefined> {
    const id = await this.idOf(group);
    if (!id) return undefined;
    const res = await this.web.usergroups.users.list({ usergroup: id });
    return [...(res.users ?? [])].sort();
  }
}
