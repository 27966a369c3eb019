import type { InboundMessage, MessageAck, RouterTransport } from '@iotgw/flow-router';

/** A RouterTransport without a broker: records (un)subscriptions and delivers messages by call. */
export class MemoryTransport implements RouterTransport {
  readonly subscribed = new Set<string>();
  #handler: ((msg: InboundMessage) => Promise<MessageAck>) | undefined;

  async subscribe(filters: readonly string[]): Promise<unknown> {
    for (const f of filters) this.subscribed.add(f);
    return filters.map(() => 1);
  }

  async unsubscribe(filters: readonly string[]): Promise<void> {
    for (const f of filters) this.subscribed.delete(f);
  }

  onMessage(handler: (msg: InboundMessage) => Promise<MessageAck>): void {
    this.#handler = handler;
  }

  /** Resolves once the router has committed the message (what a PUBACK would wait for). */
  deliver(topic: string, payload: string | object, receivedAt = Date.now()): Promise<MessageAck> {
    if (!this.#handler) throw new Error('no handler registered');
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    return this.#handler({
      topic,
      payload: Buffer.from(text),
      qos: 1,
      retain: false,
      userProperties: {},
      receivedAt,
    });
  }
}
