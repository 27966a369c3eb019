import type { InboundMessage, MessageAck, RouterTransport } from '@iotgw/flow-router';
import type { MqttConnector } from '@iotgw/mqtt-connector';

type Handler = (msg: InboundMessage) => Promise<MessageAck>;

export interface ConnectorTransport extends RouterTransport {
  /** Messages still waiting for the router's handler are refused (not acknowledged: redelivered later). */
  close(): void;
}

/**
 * The router's transport over the MQTT connector.
 *
 * - The connector acknowledges a message that arrives while no handler is registered, and a persistent
 *   session delivers its queue right after CONNACK. So a handler is registered here at once and holds
 *   each message until the router registers its own: the connector can connect (and the router's first
 *   reload can reach the broker, unsubscribing stale filters) before the router starts.
 * - The connector reports a refused subscription in its results (and logs it) instead of failing; the
 *   router's reload report should show it, so a refusal becomes an error here. The filters stay recorded
 *   in the connector and are retried on reconnect.
 */
export function connectorTransport(
  connector: MqttConnector,
  options: { sharedSubscriptions?: boolean } = {},
): ConnectorTransport {
  let settle: { resolve: (h: Handler) => void; reject: (err: Error) => void } | undefined;
  const router = new Promise<Handler>((resolve, reject) => {
    settle = { resolve, reject };
  });
  router.catch(() => undefined);
  connector.onMessage(async (msg) => (await router)(msg));
  return {
    // With a share group the router ignores retained deliveries (one per connection otherwise).
    sharedSubscriptions: options.sharedSubscriptions === true,
    async subscribe(filters, subscribeOptions) {
      const results = await connector.subscribe(filters, subscribeOptions ?? {});
      const refused = results.filter((r) => r.state === 'refused');
      if (refused.length > 0) {
        throw new Error(`the broker refused ${refused.map((r) => `${r.filter} (${r.reason})`).join(', ')}`);
      }
      return results;
    },
    unsubscribe: (filters) => connector.unsubscribe(filters),
    onMessage(handler) {
      settle?.resolve(handler);
    },
    close() {
      settle?.reject(new Error('the flow router did not start'));
    },
  };
}
