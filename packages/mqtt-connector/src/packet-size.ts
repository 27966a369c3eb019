import { MESSAGE_ID_PROPERTY } from '@iotgw/contracts';
import { ConnectorError } from './connector-error.js';

/**
 * The size on the wire of a PUBLISH packet (MQTT 3.1.1 §3.3, MQTT 5.0 §3.3): what a broker compares
 * with its Maximum Packet Size. Pure arithmetic, no encoding.
 */

/** Bytes of the Variable Byte Integer encoding of `n` (MQTT 5.0 §1.5.5). */
function varIntBytes(n: number): number {
  if (n < 128) return 1;
  if (n < 16_384) return 2;
  if (n < 2_097_152) return 3;
  return 4;
}

export interface PublishShape {
  topic: string;
  payloadBytes: number;
  qos: 0 | 1;
  userProperties: Readonly<Record<string, string>>;
}

/** The whole packet: fixed header, topic, packet id, properties (MQTT 5 only), payload. */
export function publishPacketSize(shape: PublishShape, protocolVersion: 4 | 5): number {
  let remaining = 2 + Buffer.byteLength(shape.topic, 'utf8') + (shape.qos > 0 ? 2 : 0) + shape.payloadBytes;
  if (protocolVersion === 5) {
    let properties = 0;
    for (const [key, value] of Object.entries(shape.userProperties))
      properties += 1 + 2 + Buffer.byteLength(key, 'utf8') + 2 + Buffer.byteLength(value, 'utf8');
    remaining += varIntBytes(properties) + properties;
  }
  return 1 + varIntBytes(remaining) + remaining;
}

/**
 * MQTT_ERR_TOO_LARGE when the message, with the message id the pump adds (`<outbox id>:<seq>`, seq
 * counted at 16 digits), makes a packet larger than `limit`; null when it fits.
 */
export function oversizeError(
  shape: PublishShape,
  outboxId: string,
  protocolVersion: 4 | 5,
  limit: number,
): ConnectorError | null {
  const idProperty = { [MESSAGE_ID_PROPERTY]: `${outboxId}:${'9'.repeat(16)}` };
  const size = publishPacketSize(
    { ...shape, userProperties: { ...shape.userProperties, ...idProperty } },
    protocolVersion,
  );
  if (size <= limit) return null;
  return new ConnectorError(
    'MQTT_ERR_TOO_LARGE',
    `cannot publish to ${shape.topic}: a ${shape.payloadBytes}-byte payload makes a ${size}-byte packet, larger than the broker takes (${limit} bytes)`,
  );
}
