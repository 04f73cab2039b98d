import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Incident severity (`low` … `critical`). */
export const SEVERITY = defineSearchAttributeKey('CordonSeverity', SearchAttributeType.KEYWORD);
/** Affected packages as `ecosystem:name`. */
export const PACKAGES = defineSearchAttributeKey('CordonPackages', SearchAttributeType.KEYWORD_LIST);
/** The playbook phase the incident is in. */
export const PHASE = defineSearchAttributeKey('CordonPhase', SearchAttributeType.KEYWORD);
/** The values STATUS takes (an incident's `status`), so `cordon list --status` can refuse one that matches nothing. */
export const INCIDENT_STATUSES = ['running', 'awaiting-approval', 'completed', 'stood-down', 'failed'] as const;
/** Incident status, one of {@link INCIDENT_STATUSES}. */
export const STATUS = defineSearchAttributeKey('CordonStatus', SearchAttributeType.KEYWORD);
/** The GitHub organisation the incident covers. */
export const ORG = defineSearchAttributeKey('CordonOrg', SearchAttributeType.KEYWORD);

/** Every search attribute cordon registers, as `name=Type` pairs for `temporal server start-dev --search-attribute`. */
export const SEARCH_ATTRIBUTE_FLAGS: readonly string[] = [
  'CordonSeverity=Keyword',
  'CordonPackages=KeywordList',
  'CordonPhase=Keyword',
  'CordonStatus=Keyword',
  'CordonOrg=Keyword',
];
