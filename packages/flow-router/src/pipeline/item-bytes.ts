import { asDeadLetter, type DeadReason, type WorkItem } from './work-item.js';

/**
 * Upper bounds of the SQL text a work item adds to a batch, as mysql2 sends it (values escaped into
 * the text): a string at most doubles (every character escaped) plus quotes, a blob is hex (`X'…'`,
 * two characters a byte), a number or NULL a few dozen characters; each row also carries its tuple
 * punctuation and the message's topic. Per item there is room for its flow's lock and counter
 * statements. Pure.
 */
const ROW = 64;
const NUMBER = 24;
/** A data_records row without its topic, field and text value: ids, type, numbers, NULLs, commas. */
const RECORD_ROW = 128;
const PER_ITEM = 512;
/** A dead letter's reason, flow code, key and user properties, and the redaction marker. */
const DEAD_EXTRA = 4_096;

function text(s: string): number {
  return 2 * Buffer.byteLength(s, 'utf8') + 3;
}

function blob(b: Uint8Array): number {
  return 2 * b.length + 3;
}

function userPropertiesBytes(item: WorkItem): number {
  let n = 0;
  for (const [k, v] of Object.entries(item.userProperties)) {
    n += text(k) + (Array.isArray(v) ? v.reduce((a, s) => a + text(s), 0) : text(v));
  }
  return 2 * n;
}

export function itemBytes(item: WorkItem): number {
  const topic = text(item.topic);
  const key = text(item.key.value) + ROW + 4 * NUMBER;
  const a = item.action;
  if (a.kind === 'store') {
    let n = PER_ITEM + key;
    for (const v of a.values) {
      n += RECORD_ROW + topic + text(v.field);
      if (v.str !== null) n += text(v.str);
      if (v.json !== null) n += text(v.json);
    }
    return n;
  }
  if (a.kind === 'post') {
    return PER_ITEM + key + ROW + topic + text(a.url) + text(a.body) + 10 * NUMBER + text(item.key.value);
  }
  return (
    PER_ITEM +
    key +
    ROW +
    topic +
    blob(item.payload) +
    text(a.reason.reason) +
    text(a.reason.jsonPath ?? '') +
    userPropertiesBytes(item) +
    DEAD_EXTRA
  );
}

/** The bytes of a message's items together (they are committed in one transaction). */
export function messageBytes(items: readonly WorkItem[]): number {
  let n = 0;
  for (const i of items) n += itemBytes(i);
  return n;
}

/**
 * A message whose items cannot fit one batch of `maxBytes`: every item becomes a dead letter
 * `PAYLOAD_ERR_TOO_LARGE`, its stored payload cut so that it fits (the reason says how much was kept).
 * Items that fit are returned as they are. Returns the items and their estimated bytes. Pure.
 */
export function fitMessage(
  items: readonly WorkItem[],
  maxBytes: number,
): { items: WorkItem[]; bytes: number } {
  const total = messageBytes(items);
  if (total <= maxBytes) return { items: [...items], bytes: total };
  const payloadBytes = items[0]?.payload.length ?? 0;
  // Each dead letter holds the payload as hex (twice its size), plus the fixed parts.
  const room = Math.floor((maxBytes / Math.max(1, items.length) - PER_ITEM - DEAD_EXTRA - 8_192) / 4);
  const keep = Math.max(0, Math.min(payloadBytes, room));
  const dead = items.map((item) => {
    const reason: DeadReason = {
      code: 'PAYLOAD_ERR_TOO_LARGE',
      reason: `the message needs about ${total} bytes of SQL, more than one batch may send (${maxBytes} bytes: the database's max_allowed_packet or ROUTER_BATCH_MAX_BYTES); payload kept: first ${keep} of ${payloadBytes} bytes`,
      jsonPath: null,
    };
    const dead = asDeadLetter(item, reason);
    return {
      ...dead,
      payload: item.payload.subarray(0, keep),
      userProperties: {},
    };
  });
  return { items: dead, bytes: messageBytes(dead) };
}
