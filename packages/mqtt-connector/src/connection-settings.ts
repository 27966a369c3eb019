import type { ConnectionSettings, ProtocolChoice } from './broker-connection.js';
import type { ResolvedOptions } from './connector-options.js';
import type { TlsMaterial } from './tls-files.js';

/**
 * The settings of connection `index` of a connector: client id `<clientId>-<index>` when there are
 * several, and the last will on the publishing connection (0) only.
 */
export function connectionSettings(
  o: ResolvedOptions,
  index: number,
  shared: {
    password: () => string | undefined;
    tls: TlsMaterial | undefined;
    protocol: ProtocolChoice;
    random: () => number;
  },
): ConnectionSettings {
  return {
    index,
    clientId: o.connections > 1 ? `${o.clientId}-${index}` : o.clientId,
    url: o.url,
    keepalive: o.keepalive,
    clean: o.clean,
    sessionExpiryInterval: o.sessionExpiryInterval,
    receiveMaximum: o.receiveMaximum,
    maxIncomingPacketBytes: o.maxIncomingPacketBytes,
    username: o.username,
    password: shared.password,
    tls: shared.tls,
    will: index === 0 && o.will ? { topic: o.will.topic, payload: o.will.offline } : undefined,
    reconnect: o.reconnect,
    connectTimeoutMs: o.connectTimeoutMs,
    protocol: shared.protocol,
    random: shared.random,
  };
}
