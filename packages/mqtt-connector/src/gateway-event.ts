/**
 * The gateway's internal event (the legacy CSTBox bus event) and the two filters that decide what
 * crosses the MQTT boundary, in each direction.
 */
export interface GatewayEvent {
  /** Kind of variable, e.g. `temperature`, `co2`, `window`. */
  varType: string;
  /** Which variable, e.g. `thingy.c1a2b3`. */
  varName: string;
  value: unknown;
  /** Milliseconds since the epoch. */
  timestamp: number;
  meta?: Record<string, unknown>;
}

/** MQTT → gateway: which internal events a received message becomes. */
export interface InboundFilter {
  /** The events `topic`/`payload` becomes; an empty list refuses the message. */
  accept(topic: string, payload: Buffer): readonly GatewayEvent[];
}

/** Gateway → MQTT: where an internal event is published, if anywhere. */
export interface OutboundFilter {
  /** The topic to publish `event` on, or null when the event may not leave the gateway. */
  topicFor(event: GatewayEvent): string | null;
  /** The MQTT payload for `event`; default {@link encodeEventPayload}. */
  payloadFor?(event: GatewayEvent): Buffer | string;
}

/** The default inbound filter: refuses everything (nothing enters the gateway unless a rule says so). */
export class RefuseAllInboundFilter implements InboundFilter {
  accept(_topic: string, _payload: Buffer): readonly GatewayEvent[] {
    return [];
  }
}

/** The default outbound filter: allows nothing out. */
export class DenyAllOutboundFilter implements OutboundFilter {
  topicFor(_event: GatewayEvent): string | null {
    return null;
  }
}

/**
 * The default MQTT payload of an event leaving the gateway: UTF-8 JSON
 * `{"varType":…,"varName":…,"value":…,"timestamp":…,"meta":{…}}` (`meta` only when present).
 */
export function encodeEventPayload(event: GatewayEvent): Buffer {
  const body: Record<string, unknown> = {
    varType: event.varType,
    varName: event.varName,
    value: event.value,
    timestamp: event.timestamp,
  };
  if (event.meta !== undefined) body['meta'] = event.meta;
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/**
 * The default value of an event made from an MQTT payload: the JSON value when the payload is JSON,
 * otherwise the UTF-8 text. Never throws.
 */
export function decodeEventValue(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
