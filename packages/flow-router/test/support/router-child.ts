// The router as its own process, for the crash and scale tests: `node test/support/router-child.ts`
// with the router's settings in the environment plus ROUTER_CHILD_MQTT_URL, ROUTER_CHILD_CLIENT_PREFIX,
// ROUTER_CHILD_CONNECTIONS and ROUTER_CHILD_SHARE_GROUP. Prints `ready` once subscribed; SIGTERM stops it cleanly.
import { FlowRouter, loadRouterSettings, migrateToLatest, openDatabase } from '@iotgw/flow-router';
import { createLogger } from '@iotgw/logger';
import { createMqttTransport } from './mqtt-transport.ts';

const env = process.env;
const settings = loadRouterSettings(env);
const handle = openDatabase(settings.databaseUrl);
const migrated = await migrateToLatest(handle.db);
if (!migrated.ok) throw new Error(`migration failed: ${migrated.error?.message}`);
const transport = await createMqttTransport({
  url: env['ROUTER_CHILD_MQTT_URL'] ?? 'mqtt://127.0.0.1:1883',
  clientIdPrefix: env['ROUTER_CHILD_CLIENT_PREFIX'] ?? 'router-child',
  connections: Number(env['ROUTER_CHILD_CONNECTIONS'] ?? '1'),
  ...(env['ROUTER_CHILD_SHARE_GROUP'] ? { shareGroup: env['ROUTER_CHILD_SHARE_GROUP'] } : {}),
});
const logger = createLogger({
  name: 'router-child',
  level: 'warn',
  format: 'json',
  destination: process.stderr,
});
const router = new FlowRouter({ db: handle.db, dialect: handle.dialect, transport, logger, settings });
await router.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void (async () => {
    await router.stop();
    process.stdout.write(`stats ${JSON.stringify(router.stats().counters)}\n`);
    await transport.close();
    await handle.close();
    process.exit(0);
  })();
});
