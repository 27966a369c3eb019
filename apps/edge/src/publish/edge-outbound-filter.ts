import { type GatewayEvent, type OutboundFilter, RegexOutboundFilter } from '@iotgw/mqtt-connector';

/** The internal event kinds the edge emits; each default rule below turns one into its contract topic. */
export type EdgeEventType = 'thingy52' | 'ble' | 'meter' | 'meter_config' | 'status' | 'ha';

function escapeTemplate(text: string): string {
  return text.replace(/[{}]/g, '');
}

/**
 * Default outbound rules (`varType:varName` → topic), producing exactly the topic contracts. Extra rules
 * from the config are tried first, so an installation can divert any of them.
 */
export function defaultOutboundRules(gatewayId: string): { regex: string; topic: string }[] {
  const gw = escapeTemplate(gatewayId);
  return [
    { regex: '^thingy52:(?<mac>[^/+#]+)$', topic: `${gw}/{mac}/update` },
    { regex: '^ble:(?<address>[^/+#]+)$', topic: `v2/${gw}/ble/{address}/data` },
    { regex: '^meter:(?<meter>[^/+#]+)$', topic: `v2/${gw}/{meter}/data` },
    { regex: '^meter_config:(?<meter>[^/+#]+)$', topic: `v2/${gw}/{meter}/config` },
    { regex: '^status:(?<kind>availability|health|meters)$', topic: `v2/${gw}/status/{kind}` },
    { regex: '^ha:(?<topic>[^+#]+)$', topic: '{topic}' },
  ];
}

/**
 * The edge's outbound filter: regex rules pick the topic; the payload is the event's value as is
 * (already encoded and checked against its contract by the edge).
 */
export class EdgeOutboundFilter implements OutboundFilter {
  readonly #rules: RegexOutboundFilter;

  constructor(gatewayId: string, extraRules: readonly { match: string; topic: string }[] = []) {
    this.#rules = new RegexOutboundFilter([
      ...extraRules.map((r) => ({ regex: r.match, topic: r.topic })),
      ...defaultOutboundRules(gatewayId),
    ]);
  }

  topicFor(event: GatewayEvent): string | null {
    return this.#rules.topicFor(event);
  }

  payloadFor(event: GatewayEvent): Buffer | string {
    const v = event.value;
    if (Buffer.isBuffer(v) || typeof v === 'string') return v;
    return JSON.stringify(v);
  }
}
