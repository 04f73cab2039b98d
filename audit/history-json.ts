// Reads a history in Temporal's JSON export format and decodes its payloads, so that auditors (and verify) read the
// values the workflow saw instead of base64 ciphertext.
import { defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import { JSONToPayload, type JSONPayload } from '@temporalio/common/lib/proto-utils';

/** One event of a JSON history: `eventId`, `eventTime`, `eventType` and one `…EventAttributes` object. */
export type JsonEvent = Record<string, unknown> & { eventId: string; eventTime?: string; eventType: string };

/** A payload after decoding: its encoding and value, or why it could not be read. */
export interface DecodedPayload {
  encoding: string;
  value?: unknown;
  /** Set when the payload stays unread: no key configured, unknown key id, or failed authentication. */
  undecoded?: string;
}

/** A payload that would not decode, and where it sits in the history. */
export interface DecodeProblem {
  eventId: string;
  path: string;
  message: string;
}

const text = (b64: string | undefined | null): string => (b64 ? Buffer.from(b64, 'base64').toString('utf8') : '');

function isJsonPayload(v: unknown): v is JSONPayload {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const m = (v as { metadata?: unknown }).metadata;
  return !!m && typeof m === 'object' && typeof (m as Record<string, unknown>).encoding === 'string';
}

/** The events of a parsed history.json, or an error saying what is wrong with its shape. */
export function historyEvents(history: unknown): JsonEvent[] {
  const events = (history as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) throw new TypeError('expected an object with an "events" array');
  for (const [i, e] of events.entries()) {
    if (!e || typeof e !== 'object' || typeof (e as JsonEvent).eventType !== 'string')
      throw new TypeError(`events[${i}]: expected an event with an eventType`);
  }
  return events as JsonEvent[];
}

/** The `…EventAttributes` object of an event. */
export function attributesOf(e: JsonEvent): Record<string, unknown> {
  const key = Object.keys(e).find((k) => k.endsWith('EventAttributes'));
  return (key ? e[key] : {}) as Record<string, unknown>;
}

/**
 * Returns a copy of the events with every payload replaced by `{encoding, value}` (decrypted with the codec when
 * one is given). A payload that will not decode stays as it was, marked `undecoded`, and is reported: one bad
 * payload does not hide the rest of the history.
 */
export async function decodeEvents(
  events: JsonEvent[],
  codec: PayloadCodec | undefined,
): Promise<{ events: JsonEvent[]; problems: DecodeProblem[] }> {
  const problems: DecodeProblem[] = [];
  const walk = async (v: unknown, eventId: string, path: string): Promise<unknown> => {
    if (Array.isArray(v)) return Promise.all(v.map((x, i) => walk(x, eventId, `${path}[${i}]`)));
    if (!v || typeof v !== 'object') return v;
    if (isJsonPayload(v)) return decodePayload(v, codec, (message) => problems.push({ eventId, path, message }));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = await walk(x, eventId, path ? `${path}.${k}` : k);
    return out;
  };
  const decoded: JsonEvent[] = [];
  for (const e of events) decoded.push((await walk(e, e.eventId, '')) as JsonEvent);
  return { events: decoded, problems };
}

async function decodePayload(
  p: JSONPayload,
  codec: PayloadCodec | undefined,
  report: (message: string) => void,
): Promise<DecodedPayload> {
  const encoding = text(p.metadata?.encoding);
  let payload = JSONToPayload(p);
  if (encoding === 'binary/encrypted') {
    if (!codec) return { encoding, undecoded: 'encrypted; no key configured (set CORDON_CODEC_KEYS)' };
    try {
      payload = (await codec.decode([payload]))[0]!;
    } catch (err) {
      report((err as Error).message);
      return { encoding, undecoded: (err as Error).message };
    }
  }
  const inner = payload.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString('utf8') : '';
  try {
    return { encoding: inner, value: defaultPayloadConverter.fromPayload(payload) };
  } catch (err) {
    return { encoding: inner, undecoded: (err as Error).message };
  }
}

/** The value of the first payload of a decoded `{payloads: [...]}` field, or undefined. */
export function firstValue(payloads: unknown): unknown {
  const list = (payloads as { payloads?: DecodedPayload[] } | undefined)?.payloads;
  return list?.[0]?.value;
}
