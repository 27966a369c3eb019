// `npm start`: the whole chain on embedded defaults, with a live summary. Ctrl-C stops everything.
// Settings: `npm start -- --help` (demo-settings.ts).
import { join } from 'node:path';
import { freePort } from '@iotgw/testkit';
import { Chain } from './chain.js';
import { clearRetained, DEMO_HELP, demoSettings, readDemoState, writeDemoState } from './demo-settings.js';

const SUMMARY_EVERY_MS = 5_000;

async function portFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function elapsed(since: number): string {
  const s = Math.round((Date.now() - since) / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h
    ? `${h}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`
    : `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
}

interface StoredRecord {
  msgId: number;
  field: string;
  value: unknown;
}

/** The newest stored reading of each kind of device, read back from the records API. */
async function latestStored(chain: Chain): Promise<string> {
  const from = new Date(Date.now() - 30_000).toISOString();
  const parts: string[] = [];
  const byMessage = async (flow: string) => {
    const r = await chain.api?.request<{ records: StoredRecord[] }>(
      'GET',
      `/api/records?flow=${flow}&from=${encodeURIComponent(from)}&limit=2000`,
    );
    const messages = new Map<number, Record<string, unknown>>();
    for (const rec of r?.body.records ?? []) {
      const m = messages.get(rec.msgId) ?? {};
      m[rec.field] = rec.value;
      messages.set(rec.msgId, m);
    }
    return [...messages.values()];
  };
  const thingy = (await byMessage('thingy52')).filter((m) => m['temp'] !== undefined).at(-1);
  if (thingy) parts.push(`Thingy:52 ${thingy['temp']} °C`);
  const ble = await byMessage('ble');
  const bthome = ble.filter((m) => m['format'] === 'bthome_v2' && m['temperature_c'] !== undefined).at(-1);
  if (bthome) parts.push(`BTHome ${bthome['temperature_c']} °C`);
  const ruuvi = ble.filter((m) => m['format'] === 'ruuvi_v5').at(-1);
  if (ruuvi) parts.push(`Ruuvi ${ruuvi['temperature_c']} °C ${ruuvi['pressure_hpa']} hPa`);
  const meters = await byMessage('meters');
  const omnipower = meters.filter((m) => m['driver'] === 'omnipower').at(-1);
  if (omnipower) parts.push(`OmniPower ${omnipower['id']} ${omnipower['total_energy_consumption_kwh']} kWh`);
  const water = meters.filter((m) => m['driver'] !== 'omnipower').at(-1);
  if (water) parts.push(`${water['driver']} ${water['id']} ${water['total_m3']} m³`);
  return parts.join(' · ');
}

/** With DATABASE_URL=mysql://…/name, creates the database when it does not exist yet (the demo only). */
async function ensureMysqlDatabase(url: string | undefined): Promise<void> {
  if (!url?.startsWith('mysql:')) return;
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) return;
  u.pathname = '/';
  const { createConnection } = await import('mysql2/promise');
  const c = await createConnection(u.toString());
  try {
    await c.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await c.end();
  }
}

const METER_INTERVAL_MS = 4000;

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(DEMO_HELP);
    return;
  }
  const settings = demoSettings(process.env);
  const { gatewayId } = settings;
  const dataDir = join(process.cwd(), 'data');
  const httpPort = (await portFree(settings.httpPort)) ? settings.httpPort : await freePort();
  // A restarted demo continues its clock, and the simulated meters their totals, from the last run.
  const earlier = readDemoState(dataDir).elapsedMs;
  const chain = new Chain({
    dataDir,
    gatewayId,
    mqttUrl: settings.mqttUrl,
    databaseUrl: settings.databaseUrl,
    httpPort,
    stick: 'auto',
    bleIntervalMs: 2000,
    meterIntervalMs: METER_INTERVAL_MS,
    meterStartRound: Math.floor(earlier / METER_INTERVAL_MS),
    serverEnv: { MQTT_CLIENT_ID: settings.mqttClientId },
    logToFiles: true,
  });
  let started = 0;
  const saveState = () => {
    if (started) writeDemoState(dataDir, { elapsedMs: earlier + Date.now() - started });
  };
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    saveState();
    console.log('\nstopping: edge (flushes its outbox), server (finishes its batches), simulator, broker…');
    await chain.stop();
    if (settings.mqttUrl) {
      try {
        const cleared = await clearRetained(settings.mqttUrl, gatewayId);
        if (cleared.length) console.log(`removed ${cleared.length} retained topics under v2/${gatewayId}/`);
      } catch (err) {
        console.log(`could not remove the retained topics under v2/${gatewayId}/: ${(err as Error).message}`);
      }
    }
    console.log('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  console.log('iotgw demo: starting the whole chain on embedded defaults');
  try {
    await ensureMysqlDatabase(process.env['DATABASE_URL']);
    await chain.start();
  } catch (err) {
    console.error(`iotgw demo: ${(err as Error).message}`);
    console.error(`logs: ${chain.logDir}`);
    await stop(1);
    return;
  }
  started = Date.now();
  console.log(
    [
      `  broker   ${chain.mqttUrl}${process.env['MQTT_URL'] ? '' : ' (in-process aedes, MQTT 3.1.1)'}`,
      `  database ${chain.databaseUrl}`,
      `  console  http://127.0.0.1:${chain.httpPort}/   (the web console: fleet, live readings, plots, flows)`,
      `  API      http://127.0.0.1:${chain.httpPort}/api/flows   (OpenAPI: /openapi.json, metrics: /metrics)`,
      `  edge     gateway ${gatewayId}; BLE: simulated Thingy:52, BTHome (one encrypted), Ruuvi; wM-Bus: ${
        chain.stickMode === 'pty'
          ? 'iM871A simulator on a socat pty (the real serial code path)'
          : 'meters simulated in-process (socat not found)'
      }`,
      `  logs     ${chain.logDir}`,
    ].join('\n'),
  );
  const provisioned = (await chain.provisionDemoMeters()) as {
    meters?: { deviceId: string; status: string }[];
  };
  console.log(
    `  provisioned over MQTT through the API: ${(provisioned.meters ?? []).map((m) => `${m.deviceId} (${m.status})`).join(', ')}`,
  );
  console.log('  Ctrl-C stops everything.\n');
  console.log(
    '  heard: devices the edge receives · stored: per flow, messages stored (records: one row per value in them)\n',
  );

  const summary = async () => {
    try {
      const [flows, health, meters] = await Promise.all([
        chain.api?.flows() ?? [],
        chain.edgeHealth(),
        chain.api?.request<{ report?: { meters?: { status: string }[] } | null }>(
          'GET',
          `/api/gateways/${gatewayId}/meters`,
        ),
      ]);
      const ok = meters?.body.report?.meters?.filter((m) => m.status === 'ok').length ?? 0;
      const devices = (health?.['devices'] as { ble?: number } | undefined)?.ble ?? 0;
      const outbox = (health?.['outbox'] as { depth?: number } | undefined)?.depth ?? '?';
      const stored = flows
        .map((f) => `${f.code} ${f.counters.lastMsgId} (${f.counters.records} records)`)
        .join(' · ');
      const dead = flows.reduce((a, f) => a + f.counters.deadLetters, 0);
      console.log(
        `[${elapsed(started - earlier)}] heard: ${devices} BLE devices, ${ok} meters ok | stored: ${stored} | dead letters ${dead} | outbox ${outbox}`,
      );
      const latest = await latestStored(chain);
      if (latest) console.log(`        latest stored: ${latest}`);
    } catch (err) {
      console.log(`[${elapsed(started - earlier)}] summary unavailable: ${(err as Error).message}`);
    }
  };
  await summary();
  setInterval(() => {
    if (stopping) return;
    saveState();
    void summary();
  }, SUMMARY_EVERY_MS);
}

main().catch((err: unknown) => {
  console.error(`iotgw demo: ${(err as Error).message}`);
  process.exit(1);
});
