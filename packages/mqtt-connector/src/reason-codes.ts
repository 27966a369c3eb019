/**
 * CONNACK / PUBACK / SUBACK reason codes in words, for MQTT 3.1.1 (OASIS 2014, §3.2.2.3, §3.9.3) and
 * MQTT 5.0 (OASIS 2019, §3.2.2.2, §3.4.2.1, §3.9.3). The legacy `connection_rc_str` / `publish_rc_str`,
 * used in every log line about a refusal. Pure data and lookups.
 */
export type AckKind = 'connack' | 'puback' | 'suback';

const connackV4: Readonly<Record<number, string>> = {
  0: 'connection accepted',
  1: 'connection refused: unacceptable protocol version',
  2: 'connection refused: identifier rejected',
  3: 'connection refused: server unavailable',
  4: 'connection refused: bad user name or password',
  5: 'connection refused: not authorised',
};

const connackV5: Readonly<Record<number, string>> = {
  0: 'success',
  128: 'unspecified error',
  129: 'malformed packet',
  130: 'protocol error',
  131: 'implementation specific error',
  132: 'unsupported protocol version',
  133: 'client identifier not valid',
  134: 'bad user name or password',
  135: 'not authorized',
  136: 'server unavailable',
  137: 'server busy',
  138: 'banned',
  140: 'bad authentication method',
  144: 'topic name invalid',
  149: 'packet too large',
  151: 'quota exceeded',
  153: 'payload format invalid',
  154: 'retain not supported',
  155: 'QoS not supported',
  156: 'use another server',
  157: 'server moved',
  159: 'connection rate exceeded',
};

const pubackV5: Readonly<Record<number, string>> = {
  0: 'success',
  16: 'no matching subscribers',
  128: 'unspecified error',
  131: 'implementation specific error',
  135: 'not authorized',
  144: 'topic name invalid',
  145: 'packet identifier in use',
  151: 'quota exceeded',
  153: 'payload format invalid',
};

const subackV4: Readonly<Record<number, string>> = {
  0: 'success: maximum QoS 0',
  1: 'success: maximum QoS 1',
  2: 'success: maximum QoS 2',
  128: 'failure',
};

const subackV5: Readonly<Record<number, string>> = {
  0: 'granted QoS 0',
  1: 'granted QoS 1',
  2: 'granted QoS 2',
  128: 'unspecified error',
  131: 'implementation specific error',
  135: 'not authorized',
  143: 'topic filter invalid',
  145: 'packet identifier in use',
  151: 'quota exceeded',
  158: 'shared subscriptions not supported',
  161: 'subscription identifiers not supported',
  162: 'wildcard subscriptions not supported',
};

function hex(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

/**
 * A reason code in words, with the code itself, e.g. `not authorized (0x87, MQTT 5)`. Unknown codes
 * are named as such rather than guessed. A 3.1.1 PUBACK carries no reason code at all.
 */
export function reasonCodeText(kind: AckKind, code: number, protocolVersion: 4 | 5): string {
  const label = protocolVersion === 5 ? 'MQTT 5' : 'MQTT 3.1.1';
  let table: Readonly<Record<number, string>> | null;
  if (kind === 'connack') table = protocolVersion === 5 ? connackV5 : connackV4;
  else if (kind === 'suback') table = protocolVersion === 5 ? subackV5 : subackV4;
  else table = protocolVersion === 5 ? pubackV5 : null;
  if (table === null) {
    return code === 0
      ? `acknowledged (${label} PUBACK carries no reason code)`
      : `unknown PUBACK reason code ${hex(code)} (${label} PUBACK carries no reason code)`;
  }
  const text = table[code];
  return text === undefined
    ? `unknown ${kind.toUpperCase()} reason code ${hex(code)} (${label})`
    : `${text} (${hex(code)}, ${label})`;
}

/**
 * Whether a refused CONNACK means that trying again cannot help (credentials, authorisation, a banned
 * or invalid client id, a protocol version the broker does not speak): the connector stops reconnecting.
 * Anything else (server unavailable or busy, quota, rate limit, unspecified) is transient and backs off.
 */
export function isFatalConnack(code: number, protocolVersion: 4 | 5): boolean {
  if (protocolVersion === 4) return code === 0x01 || code === 0x02 || code === 0x04 || code === 0x05;
  return [0x84, 0x85, 0x86, 0x87, 0x8a, 0x8c].includes(code);
}

/** Whether a CONNACK code says the broker does not speak the requested protocol version. */
export function isUnsupportedProtocol(code: number): boolean {
  // A 3.1.1-only broker answers an MQTT 5 CONNECT with the 3.1.1 code 1, which MQTT.js reads as-is.
  return code === 0x01 || code === 0x84;
}

/**
 * PUBACK reason codes after which a message stays in the outbox and is sent again on the next
 * connection (the broker is momentarily unable); any other failure code is a definitive refusal.
 */
export function isTransientPuback(code: number): boolean {
  return code === 0x80 || code === 0x91 || code === 0x97;
}

/** PUBACK reason codes MQTT 5 lets a receiver send (§3.4.2.1); MQTT.js refuses any other. */
export const VALID_PUBACK_CODES: readonly number[] = [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
