import { ConnectorError } from './connector-error.js';

/**
 * Store-and-forward storage between `publish()` and the broker: a message enters before `publish()`
 * resolves and leaves only when the broker has acknowledged it. Implementations: SqliteOutbox (durable)
 * and MemoryOutbox (tests, or a gateway that accepts losing its backlog on restart); one contract test
 * suite runs against both.
 */
export interface OutboxMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  retain: boolean;
  userProperties: Readonly<Record<string, string>>;
  /**
   * Messages with the same key replace each other: appending one removes any waiting predecessor
   * (status and health reports: only the newest is worth sending). Not part of the entry handed out.
   */
  replaceKey?: string | undefined;
}

export interface OutboxEntry extends OutboxMessage {
  /** Stable message id `<outbox id>:<seq>`, assigned at append and persisted with the message. */
  readonly id: string;
  /** Position in the outbox: strictly increasing, never reused (not even after a restart). */
  readonly seq: number;
  /** When the message entered the outbox (ms since the epoch). */
  readonly enqueuedAt: number;
}

export interface AppendResult {
  entry: OutboxEntry;
  /** Oldest messages dropped to make room for this one (0 unless the outbox was full). */
  dropped: number;
}

export interface OutboxStats {
  /** Messages waiting for an acknowledgement. */
  depth: number;
  /** Their size (topic + payload bytes). */
  bytes: number;
  /** Age of the oldest waiting message (ms); 0 when empty. */
  oldestAgeMs: number;
  /** Messages appended since this outbox object was opened. */
  appended: number;
  /** Messages acknowledged and removed since opened. */
  sent: number;
  /** Messages dropped (oldest first) because the outbox was full, since opened. */
  dropped: number;
  droppedBytes: number;
  /** Messages removed because a newer one with the same replace key arrived, since opened. */
  replaced: number;
  /** Messages moved aside (parked) because the broker can never take them, since opened. */
  parked: number;
  /** Seq of the oldest waiting message (0 when empty): the head, to tell whether the queue moves. */
  headSeq: number;
}

export interface Outbox {
  /** The outbox's own durable id, the first part of every message id. */
  readonly id: string;
  /** Number of messages waiting (same as `stats().depth`). */
  readonly depth: number;
  /**
   * Stores a message and resolves once it is durable by the outbox's policy (`entry.id` is final).
   * When full, drops the oldest messages first. Throws OUTBOX_ERR_TOO_LARGE for a message larger than
   * the byte bound, OUTBOX_ERR_CLOSED after close(). The outbox may keep `message.payload` itself:
   * the caller must not modify it afterwards.
   */
  append(message: OutboxMessage): Promise<AppendResult>;
  /** Up to `limit` durable messages with `seq > afterSeq`, in seq (= append) order. */
  peek(afterSeq: number, limit: number): Promise<OutboxEntry[]>;
  /** Removes an acknowledged message (unknown or already dropped seqs are ignored). */
  ack(seq: number): Promise<void>;
  /**
   * Moves a message the broker can never take (too large, refused for good) out of the queue into a
   * bounded side store (the newest MAX_PARKED_MESSAGES are kept, for inspection), so the queue moves on.
   */
  park(seq: number, reason: string): Promise<void>;
  stats(): OutboxStats;
  /** Makes removals durable now (they are otherwise committed lazily: a lost removal only resends). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface OutboxLimits {
  /** Messages kept at most; beyond, the oldest are dropped. Default 1,000,000. */
  maxMessages?: number;
  /** Bytes (topic + payload) kept at most; beyond, the oldest are dropped. Default 256 MiB. */
  maxBytes?: number;
}

/** Parked messages kept at most (oldest forgotten first), and their bytes at most. */
export const MAX_PARKED_MESSAGES = 100;
export const MAX_PARKED_BYTES = 16 * 1024 * 1024;

/**
 * User property a replacing message carries: the seqs of the waiting copies it replaced (comma
 * separated, with those they had replaced, the newest 64), so that a consumer checking the outbox
 * sequence for gaps can tell a replaced message from a lost one.
 */
export const REPLACES_PROPERTY = 'iotgw-replaces';
const MAX_REPLACES_LISTED = 64;

/** The message with the replaced seqs (and what they had replaced) named in REPLACES_PROPERTY. */
export function withReplaces(
  message: OutboxMessage,
  replaced: readonly { seq: number; userProperties: Readonly<Record<string, string>> }[],
): OutboxMessage {
  if (replaced.length === 0) return message;
  const seqs: string[] = [];
  for (const r of replaced) {
    const earlier = r.userProperties[REPLACES_PROPERTY];
    if (earlier) seqs.push(...earlier.split(','));
    seqs.push(String(r.seq));
  }
  const list = seqs.slice(-MAX_REPLACES_LISTED).join(',');
  return { ...message, userProperties: { ...message.userProperties, [REPLACES_PROPERTY]: list } };
}

export const DEFAULT_OUTBOX_LIMITS = Object.freeze({ maxMessages: 1_000_000, maxBytes: 256 * 1024 * 1024 });

export function resolveLimits(limits: OutboxLimits): ResolvedLimits {
  const maxMessages = limits.maxMessages ?? DEFAULT_OUTBOX_LIMITS.maxMessages;
  const maxBytes = limits.maxBytes ?? DEFAULT_OUTBOX_LIMITS.maxBytes;
  if (!Number.isInteger(maxMessages) || maxMessages < 1) {
    throw new ConnectorError(
      'MQTT_ERR_OPTIONS',
      `outbox maxMessages must be an integer >= 1 (got ${maxMessages})`,
    );
  }
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new ConnectorError('MQTT_ERR_OPTIONS', `outbox maxBytes must be an integer >= 1 (got ${maxBytes})`);
  }
  return { maxMessages, maxBytes };
}

/** The size a message counts for against `maxBytes`. */
export function messageSize(message: Pick<OutboxMessage, 'topic' | 'payload'>): number {
  return Buffer.byteLength(message.topic, 'utf8') + message.payload.length;
}

export function formatMessageId(outboxId: string, seq: number): string {
  return `${outboxId}:${seq}`;
}

/** The entry a message becomes at `seq` of outbox `outboxId`. */
export function outboxEntry(
  outboxId: string,
  seq: number,
  message: OutboxMessage,
  enqueuedAt: number,
): OutboxEntry {
  return {
    topic: message.topic,
    payload: message.payload,
    qos: message.qos,
    retain: message.retain,
    userProperties: { ...message.userProperties },
    id: formatMessageId(outboxId, seq),
    seq,
    enqueuedAt,
  };
}

export type ResolvedLimits = { maxMessages: number; maxBytes: number };

/** Why a message of `size` bytes cannot be appended (closed outbox, larger than the bound), or null. */
export function appendProblem(closed: boolean, size: number, limits: ResolvedLimits): ConnectorError | null {
  if (closed) return closedError();
  if (size <= limits.maxBytes) return null;
  return new ConnectorError(
    'OUTBOX_ERR_TOO_LARGE',
    `a message of ${size} bytes can never fit an outbox bounded to ${limits.maxBytes} bytes`,
  );
}

/** Whether the oldest message must go before one more of `size` bytes fits. */
export function mustDropOldest(depth: number, bytes: number, size: number, limits: ResolvedLimits): boolean {
  return depth > 0 && (depth + 1 > limits.maxMessages || bytes + size > limits.maxBytes);
}

export function closedError(): ConnectorError {
  return new ConnectorError('OUTBOX_ERR_CLOSED', 'the outbox is closed');
}
