export { addBusinessDays, deadlineFor, isBusinessDay } from './business-days';
export { incidentFacts, isTrigger, newlyTriggered } from './facts';
export type { FactSource, RecordedFact } from './facts';
export { loadObligations } from './load';
export type { ObligationsResult } from './load';
export { buildPacket, PACKET_LIST_LIMIT, renderHtml, renderMarkdown } from './packet';
export type { Packet, PacketRecipient, PacketSource } from './packet';
export { ObligationsFileSchema, TRIGGERS } from './schema';
export type {
  BusinessCalendar,
  Channel,
  CompiledObligation,
  CompiledObligations,
  DeadlineRule,
  ObligationsFile,
  Party,
  Trigger,
} from './schema';
