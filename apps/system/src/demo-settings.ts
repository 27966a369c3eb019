// The demo's settings (`npm start --help`), its names unique to the checkout, the state a restarted demo
// continues from, and the retained topics it removes from a shared broker when it stops.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@iotgw/testkit';
import { connectAsync } from 'mqtt';

export const DEMO_HELP = `npm start (or pnpm start): the whole iotgw chain on one machine, on embedded defaults.

Starts an MQTT broker (in-process, unless MQTT_URL names one), iotgw-server on a SQLite file under
./data (unless DATABASE_URL names a database), and iotgw-edge fed by simulated BLE sensors (Thingy:52,
BTHome, Ruuvi) and by the iM871A stick simulator. It seeds the contract flows, provisions the demo
meters over MQTT through the server's API, and prints every 5 s what the edge hears and the server
stores. Ctrl-C stops everything (exit code 0). A restarted demo on the same ./data continues its clock
and its meter totals.

Settings (environment variables):
  MQTT_URL          broker to use instead of the in-process one (e.g. mqtt://127.0.0.1:1883)
  DATABASE_URL      database instead of sqlite:./data/iotgw.db (e.g. mysql://root@127.0.0.1:3306/iotgw)
  HTTP_PORT         the server's API port (default 8080, or a free port when 8080 is taken)
  IOTGW_GATEWAY_ID  the edge's gateway id (default demo-<8 hex of this machine and checkout>, so two
                    demos on one shared broker do not mix)
  MQTT_CLIENT_ID    the server's MQTT client id (default iotgw-server-<gateway id>); the edge's is
                    iotgw-edge-<gateway id>

On a shared broker the demo removes the retained topics under v2/<gateway id>/ when it stops.
`;

export interface DemoSettings {
  gatewayId: string;
  mqttClientId: string;
  mqttUrl: string | undefined;
  databaseUrl: string | undefined;
  httpPort: number;
}

/** A name unique to this machine and checkout, stable across runs: `demo-` and 8 hex digits. */
export function checkoutName(root: string = repoRoot): string {
  return `demo-${createHash('sha256').update(`${hostname()}:${root}`).digest('hex').slice(0, 8)}`;
}

export function demoSettings(env: NodeJS.ProcessEnv): DemoSettings {
  const gatewayId = env['IOTGW_GATEWAY_ID']?.trim() || checkoutName();
  const port = env['HTTP_PORT']?.trim();
  if (port && !/^\d{1,5}$/.test(port)) throw new Error(`HTTP_PORT: must be a port number (got "${port}")`);
  return {
    gatewayId,
    mqttClientId: env['MQTT_CLIENT_ID']?.trim() || `iotgw-server-${gatewayId}`,
    mqttUrl: env['MQTT_URL'] || undefined,
    databaseUrl: env['DATABASE_URL'] || undefined,
    httpPort: port ? Number(port) : 8080,
  };
}

/** What a restarted demo continues from (kept in <dataDir>/demo-state.json). */
export interface DemoState {
  /** Demo time already run, over every earlier run on this data directory. */
  elapsedMs: number;
}

export function readDemoState(dataDir: string): DemoState {
  const file = join(dataDir, 'demo-state.json');
  if (!existsSync(file)) return { elapsedMs: 0 };
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoState>;
    return { elapsedMs: Number.isFinite(s.elapsedMs) ? Math.max(0, Number(s.elapsedMs)) : 0 };
  } catch {
    return { elapsedMs: 0 };
  }
}

export function writeDemoState(dataDir: string, state: DemoState): void {
  writeFileSync(join(dataDir, 'demo-state.json'), `${JSON.stringify(state)}\n`);
}

/**
 * Clears (empty retained payload) every retained message under v2/<gatewayId>/ on the broker: the
 * availability, health, meter status and configuration topics this demo's gateway left there.
 * Returns the topics it cleared.
 */
export async function clearRetained(mqttUrl: string, gatewayId: string, settleMs = 1000): Promise<string[]> {
  const client = await connectAsync(mqttUrl, {
    clientId: `iotgw-demo-cleanup-${gatewayId}`,
    reconnectPeriod: 0,
    connectTimeout: 5000,
  });
  const topics = new Set<string>();
  try {
    client.on('message', (topic, payload, packet) => {
      if (packet.retain && payload.length > 0) topics.add(topic);
    });
    await client.subscribeAsync(`v2/${gatewayId}/#`, { qos: 1 });
    await new Promise((r) => setTimeout(r, settleMs));
    for (const topic of topics) await client.publishAsync(topic, '', { retain: true, qos: 1 });
  } finally {
    await client.endAsync();
  }
  return [...topics];
}
