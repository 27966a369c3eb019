// Publishes numbered QoS 1 messages with a bounded window of unacknowledged ones. Erasable TypeScript
// (the bench runs it under Node's type stripping too).
import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import mqtt from 'mqtt';

export interface PublishOptions {
  url: string;
  clientId: string;
  /** Topic of message `seq` (1-based). */
  topic: (seq: number) => string;
  /** Payload object of message `seq`. */
  payload: (seq: number) => Record<string, unknown>;
  from?: number;
  count: number;
  /** Stamp `iotgw-msg-id` (MQTT 5 only). */
  stampId?: (seq: number) => string;
  protocolVersion?: 4 | 5;
  /** Unacknowledged messages at most (default 200). */
  window?: number;
  /** Messages per second; omit for as fast as the window allows. */
  rate?: number;
  /** Stop early when this returns true (checked between messages). */
  stop?: () => boolean;
}

/** Resolves with the number of messages the broker acknowledged. */
export async function publishNumbered(o: PublishOptions): Promise<number> {
  const version = o.protocolVersion ?? 5;
  const client = await mqtt.connectAsync(o.url, {
    clientId: o.clientId,
    protocolVersion: version,
    clean: true,
  });
  const window = o.window ?? 200;
  const first = o.from ?? 1;
  let inFlight = 0;
  let acked = 0;
  let wake: () => void = () => {};
  const started = performance.now();
  try {
    for (let seq = first; seq < first + o.count; seq++) {
      if (o.stop?.()) break;
      while (inFlight >= window) await new Promise<void>((r) => (wake = r));
      if (o.rate !== undefined) {
        const due = started + ((seq - first) * 1000) / o.rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      }
      const opts: mqtt.IClientPublishOptions = { qos: 1 };
      if (version === 5 && o.stampId)
        opts.properties = { userProperties: { [MESSAGE_ID_PROPERTY]: o.stampId(seq) } };
      inFlight++;
      client.publish(o.topic(seq), JSON.stringify(o.payload(seq)), opts, (err) => {
        inFlight--;
        if (!err) acked++;
        wake();
      });
    }
    while (inFlight > 0) await new Promise<void>((r) => (wake = r));
  } finally {
    await client.endAsync();
  }
  return acked;
}
