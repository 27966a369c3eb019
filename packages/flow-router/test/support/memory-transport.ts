import type { InboundMessage, MessageAck, RouterTransport } from '@iotgw/flow-router';

/** An in-process RouterTransport for tests that need no broker: records (un)subscriptions, delivers by call. */
export class MemoryTransport implements RouterTransport {
  readonly subscribed = new Set<string>();
  readonly calls: Array<{ op: 'subscribe' | 'unsubscribe'; filters: string[] }> = [];
  handler: ((msg: InboundMessage) => Promise<MessageAck>) | undefined;
  failSubscribe = false;
  /** As a connector with a share group says: the router then ignores retained deliveries. */
  sharedSubscriptions = false;

  async subscribe(filters: readonly string[]): Promise<unknown> {
    if (this.failSubscribe) throw new Error('broker refused the subscription');
    this.calls.push({ op: 'subscribe', filters: [...filters] });
    for (const f of filters) this.subscribed.add(f);
    return filters.map(() => 1);
  }

  async unsubscribe(filters: readonly string[]): Promise<void> {
    this.calls.push({ op: 'unsubscribe', filters: [...filters] });
    for (const f of filters) this.subscribed.delete(f);
  }

  onMessage(handler: (msg: InboundMessage) => Promise<MessageAck>): void {
    this.handler = handler;
  }

  deliver(
    topic: string,
    payload: string | Buffer | object,
    options: {
      userProperties?: Record<string, string>;
      receivedAt?: number;
      payloadFormatIndicator?: boolean;
      retain?: boolean;
    } = {},
  ): Promise<MessageAck> {
    if (!this.handler) throw new Error('no handler registered');
    const bytes =
      typeof payload === 'string'
        ? Buffer.from(payload)
        : Buffer.isBuffer(payload)
          ? payload
          : Buffer.from(JSON.stringify(payload));
    return this.handler({
      topic,
      payload: bytes,
      qos: 1,
      retain: options.retain ?? false,
      userProperties: options.userProperties ?? {},
      receivedAt: options.receivedAt ?? Date.now(),
      ...(options.payloadFormatIndicator !== undefined
        ? { payloadFormatIndicator: options.payloadFormatIndicator }
        : {}),
    });
  }
}
