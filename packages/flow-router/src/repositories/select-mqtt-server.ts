import { resolveSecret } from '@iotgw/config';
import type { Kysely } from 'kysely';
import type { RouterDatabase } from '../db/schema.js';
import { type MqttServer, toMqttServer } from './mqtt-server-repository.js';

/**
 * The MQTT server the router connects to, as the legacy server chose it:
 * `SELECT * FROM mqtt_servers WHERE enabled = 1 ORDER BY is_default DESC, id ASC LIMIT 1`.
 * Null when there is none (the legacy server refused to start then).
 */
export async function selectMqttServer(db: Kysely<RouterDatabase>): Promise<MqttServer | null> {
  const row = await db
    .selectFrom('mqtt_servers')
    .selectAll()
    .where('enabled', '=', 1)
    .orderBy('is_default', 'desc')
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row ? toMqttServer(row) : null;
}

export interface MqttServerConnection {
  readonly url: string;
  readonly username?: string;
  /** Resolved from `passwordRef` at connect time; never log it, never store it. */
  readonly password?: string;
  readonly clientId?: string;
}

/**
 * What the app's MQTT connector needs to connect to `server`, with the password resolved from its
 * reference now (throws SecretError `CFG_ERR_SECRET` naming the reference, never the value).
 */
export function mqttServerConnection(
  server: MqttServer,
  env: Readonly<Record<string, string | undefined>>,
): MqttServerConnection {
  const url = `${server.useTls ? 'mqtts' : 'mqtt'}://${server.host}:${server.port}`;
  return {
    url,
    ...(server.username !== null ? { username: server.username } : {}),
    ...(server.passwordRef !== null ? { password: resolveSecret(server.passwordRef, env) } : {}),
    ...(server.clientId !== null ? { clientId: server.clientId } : {}),
  };
}
