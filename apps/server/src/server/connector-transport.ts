import type { RouterTransport } from '@iotgw/flow-router';
import type { MqttConnector } from '@iotgw/mqtt-connector';

/**
 * The router's transport over the MQTT connector. The connector reports a refused subscription in its
 * results (and logs it) instead of failing; the router's reload report should show it, so a refusal
 * becomes an error here. Filters are still recorded by the connector and retried on reconnect.
 */
export function connectorTransport(connector: MqttConnector): RouterTransport {
  return {
    async subscribe(filters, options) {
      const results = await connector.subscribe(filters, options ?? {});
      const refused = results.filter((r) => r.state === 'refused');
      if (refused.length > 0) {
        throw new Error(`the broker refused ${refused.map((r) => `${r.filter} (${r.reason})`).join(', ')}`);
      }
      return results;
    },
    unsubscribe: (filters) => connector.unsubscribe(filters),
    onMessage(handler) {
      connector.onMessage(handler);
    },
  };
}
