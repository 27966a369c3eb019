/**
 * The connector's catalogue of programmer and configuration errors. Expected runtime failures (a broker
 * that is away, a refused CONNACK, a filter that refuses a message) are never thrown: they are logged,
 * counted and reported through events and metrics.
 */
export type ConnectorErrorCode =
  /** An option is missing, has the wrong type or contradicts another option. */
  | 'MQTT_ERR_OPTIONS'
  /** A TLS file (CA, certificate, key) cannot be read. */
  | 'MQTT_ERR_TLS'
  /** A topic name or topic filter breaks the MQTT rules. */
  | 'MQTT_ERR_TOPIC'
  /** A second message handler was registered. */
  | 'MQTT_ERR_HANDLER'
  /** A regex filter rule cannot be compiled (invalid regex, placeholder without a named group). */
  | 'MQTT_ERR_FILTER_RULE'
  /** A message would make a packet larger than the broker takes (its Maximum Packet Size or maxPacketBytes). */
  | 'MQTT_ERR_TOO_LARGE'
  /** The outbox was used after close(). */
  | 'OUTBOX_ERR_CLOSED'
  /** A single message is larger than the outbox's byte bound. */
  | 'OUTBOX_ERR_TOO_LARGE'
  /** Another process holds the outbox file. */
  | 'OUTBOX_ERR_LOCKED'
  /** The outbox storage failed (disk full, I/O error, corrupt file). */
  | 'OUTBOX_ERR_STORAGE';

export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;
  constructor(code: ConnectorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'ConnectorError';
  }
}
