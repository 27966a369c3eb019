// The scale-out run, shared by the test (short) and the bench (long): several iotgw-server replicas in one
// MQTT share group on a private Mosquitto, each on its own node of a Galera cluster (a failover list
// starting at that node), distinct QoS 1 messages over a few flows, and — when asked — one Galera node
// and one replica SIGKILLed mid-run and restarted. Everything is counted from the database afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type GaleraCluster, type MosquittoProcess } from '@iotgw/testkit';
import mqtt from 'mqtt';
import { createConnection } from 'mysql2/promise';

// Computed here rather than imported from build-dist.ts: the bench runs this file under Node's type
// stripping, which does not map `.js` specifiers onto `.ts` files.
const serverMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));
const TOKEN = 'scale-out-admin-token-0123456789';

export interface ScaleOutOptions {
  readonly cluster: GaleraCluster;
  readonly broker: MosquittoProcess;
  readonly database: string;
  readonly messages: number;
  readonly flows?: number;
  readonly replicas?: number;
  /** MQTT connections per replica (one share group across all). */
  readonly connections?: number;
  /** SIGKILL (then restart) Galera node 1 and replica 2 during the run. */
  readonly faults?: boolean;
  /**
   * Run each replica in a container of this image (infra/container/build-server-image.sh) through
   * `buildah run --isolation chroot --network host` instead of as a plain child process.
   */
  readonly image?: string;
  /** Use this one database URL for every replica instead of one node each (a single-server baseline). */
  readonly singleDatabaseUrl?: string;
  readonly log?: (line: string) => void;
}

export interface ScaleOutResult {
  readonly published: number;
  readonly storedMessages: number;
  readonly duplicated: number;
  readonly lost: number;
  readonly gaps: number;
  readonly deadLetters: number;
  /** Each flow's `last_msg_id` equals its number of stored messages. */
  readonly countersExact: boolean;
  readonly conflictRetries: number;
  /** Per replica, the database server its metrics and /readyz named once every replica was ready. */
  readonly databaseServers: readonly { metric: string | undefined; readyz: string }[];
  /** The same at the end of the run (conflict retries show in /readyz once there were some). */
  readonly databaseServersAfter: readonly { metric: string | undefined; readyz: string }[];
  readonly seconds: number;
  readonly msgPerS: number;
  readonly events: readonly string[];
}

interface Replica {
  readonly index: number;
  readonly base: string;
  readonly env: Record<string, string>;
  readonly image: string | undefined;
  child: ReturnType<typeof spawn>;
  stderr: string;
  conflictRetries: number;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function buildah(args: string[]): string {
  const r = spawnSync(
    'buildah',
    ['--storage-driver', process.env['BUILDAH_STORAGE_DRIVER'] ?? 'vfs', ...args],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`buildah ${args[0]}: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

/** A fresh working container of `image` with the replica's environment, started with buildah run. */
function startContainer(image: string, env: Record<string, string>): ReturnType<typeof spawn> {
  const name = buildah(['from', image]);
  buildah(['config', ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]), name]);
  const driver = process.env['BUILDAH_STORAGE_DRIVER'] ?? 'vfs';
  const child = spawn(
    'buildah',
    [
      '--storage-driver',
      driver,
      'run',
      '--isolation',
      'chroot',
      '--network',
      'host',
      name,
      '--',
      '/usr/local/bin/node',
      '/app/dist/main.js',
      'run',
    ],
    // Its own process group: a signal to the group reaches the server inside, not only buildah.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  child.once('exit', () => {
    spawnSync('buildah', ['--storage-driver', driver, 'rm', name], { stdio: 'ignore' });
  });
  return child;
}

function startReplica(r: Replica): void {
  const child = r.image
    ? startContainer(r.image, r.env)
    : spawn(process.execPath, [serverMain], {
        cwd: mkdtempSync(join(tmpdir(), 'iotgw-scale-')),
        env: { PATH: process.env['PATH'] ?? '', ...r.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  r.stderr = '';
  const keep = (d: Buffer) => {
    r.stderr = (r.stderr + String(d)).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  r.child = child;
}

async function ready(r: Replica): Promise<void> {
  let last = '';
  await until(
    `replica ${r.index} to be ready`,
    async () => {
      if (r.child.exitCode !== null) throw new Error(`replica ${r.index} exited: ${r.stderr}`);
      const res = await fetch(`${r.base}/readyz`);
      last = await res.text();
      return res.status === 200;
    },
    90_000,
  ).catch((err) => {
    throw new Error(`${(err as Error).message}; /readyz said ${last}; stderr: ${r.stderr}`);
  });
}

async function stopReplica(r: Replica, signal: NodeJS.Signals): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  const child = r.child;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    if (r.image && child.pid) process.kill(-child.pid, signal);
    else child.kill(signal);
  });
}

/** The conflict retries a replica has counted so far (from its Prometheus metrics). */
async function conflictRetriesOf(r: Replica): Promise<number> {
  const text = await (
    await fetch(`${r.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).text();
  const m = /^iotgw_router_conflict_retries_total\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Which database server a replica says it uses, in its metrics and its /readyz details. */
async function databaseServerOf(r: Replica): Promise<{ metric: string | undefined; readyz: string }> {
  const text = await (
    await fetch(`${r.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).text();
  const metric = /^iotgw_database_server_info\{server="([^"]+)"\} 1/m.exec(text)?.[1];
  const ready = (await (await fetch(`${r.base}/readyz`)).json()) as {
    checks: { database: { detail: string } };
  };
  return { metric, readyz: ready.checks.database.detail };
}

async function api(base: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

export async function runScaleOut(o: ScaleOutOptions): Promise<ScaleOutResult> {
  const flows = o.flows ?? 3;
  const replicaCount = o.replicas ?? 3;
  const log = o.log ?? (() => {});
  const events: string[] = [];
  const event = (e: string) => {
    events.push(e);
    log(e);
  };
  const replicas: Replica[] = [];
  for (let i = 0; i < replicaCount; i++) {
    const port = await freePort();
    replicas.push({
      index: i,
      base: `http://127.0.0.1:${port}`,
      env: {
        DATABASE_URL: o.singleDatabaseUrl ?? o.cluster.url(o.database, i % o.cluster.nodes.length),
        MQTT_URL: o.broker.url,
        MQTT_CLIENT_ID: `iotgw-scale-r${i}`,
        MQTT_SHARE_GROUP: 'iotgw-scale',
        MQTT_CONNECTIONS: String(o.connections ?? 8),
        MQTT_SESSION_EXPIRY_SECONDS: '600',
        HTTP_PORT: String(port),
        HTTP_HOST: '127.0.0.1',
        API_TOKENS: `admin:${TOKEN}`,
        LOG_LEVEL: process.env['IOTGW_SCALE_OUT_LOG_LEVEL'] ?? 'warn',
        FLOWS_RELOAD_INTERVAL_SECONDS: '0',
      },
      image: o.image,
      child: undefined as never,
      stderr: '',
      conflictRetries: 0,
    });
  }
  // All replicas start together: their migrations race on different nodes.
  for (const r of replicas) startReplica(r);
  let publisher: mqtt.MqttClient | undefined;
  try {
    await Promise.all(replicas.map(ready));
    const databaseServers = await Promise.all(replicas.map(databaseServerOf));
    const first = replicas[0] as Replica;
    for (let f = 0; f < flows; f++) {
      await api(first.base, 'POST', '/api/flows', {
        code: `scale${f}`,
        topic: `scale/${f}/+/data`,
        action: 'STORE_DB',
        payloadSchema: { seq: 'number', v: 'number' },
      });
    }
    for (const r of replicas) await api(r.base, 'POST', '/api/flows/reload');
    publisher = await mqtt.connectAsync(o.broker.url, {
      clientId: 'iotgw-scale-publisher',
      protocolVersion: 5,
      reconnectPeriod: 200,
    });
    const started = performance.now();
    const faults: Promise<void>[] = [];
    const window = 200;
    let killedNode = false;
    let killedReplica = false;
    for (let i = 0; i < o.messages; i += window) {
      if (o.faults && !killedNode && i >= o.messages * 0.25) {
        killedNode = true;
        await o.cluster.kill(1);
        event(`SIGKILL Galera node ${o.cluster.nodes[1]?.name} after ${i} messages`);
        faults.push(
          (async () => {
            await new Promise((r) => setTimeout(r, 3_000));
            await o.cluster.restart(1);
            event('Galera node n2 rejoined (Synced)');
          })(),
        );
      }
      if (o.faults && !killedReplica && i >= o.messages * 0.5) {
        killedReplica = true;
        const victim = replicas[replicaCount - 1] as Replica;
        victim.conflictRetries += await conflictRetriesOf(victim).catch(() => 0);
        await stopReplica(victim, 'SIGKILL');
        event(`SIGKILL replica ${victim.index} after ${i} messages`);
        faults.push(
          (async () => {
            await new Promise((r) => setTimeout(r, 1_000));
            startReplica(victim);
            await ready(victim);
            event(`replica ${victim.index} restarted and ready`);
          })(),
        );
      }
      const sends: Promise<unknown>[] = [];
      for (let j = i; j < Math.min(o.messages, i + window); j++) {
        const payload = JSON.stringify({ seq: j, v: j * 0.5 });
        sends.push(
          (publisher as mqtt.MqttClient).publishAsync(`scale/${j % flows}/s${j % 20}/data`, payload, {
            qos: 1,
          }),
        );
      }
      await Promise.all(sends);
    }
    await Promise.all(faults);
    // Counted on a node that stayed up the whole run.
    const db = await createConnection(o.singleDatabaseUrl ?? o.cluster.nodeUrl(o.database, 0));
    try {
      const stored = async () => {
        const [rows] = await db.query('select coalesce(sum(last_msg_id), 0) as n from flows');
        return Number((rows as Array<{ n: number }>)[0]?.n ?? 0);
      };
      await until('every message stored', async () => (await stored()) >= o.messages, 300_000).catch(
        () => {},
      );
      const seconds = (performance.now() - started) / 1000;
      const [perFlow] = await db.query(
        `select f.last_msg_id as last, count(distinct r.msg_id) as ids, coalesce(min(r.msg_id), 0) as lo, coalesce(max(r.msg_id), 0) as hi
         from flows f left join data_records r on r.flow_id = f.id and r.field = 'seq' group by f.id, f.last_msg_id`,
      );
      let gaps = 0;
      let countersExact = true;
      for (const f of perFlow as Array<{ last: number; ids: number; lo: number; hi: number }>) {
        const ids = Number(f.ids);
        if (ids > 0) gaps += Number(f.hi) - Number(f.lo) + 1 - ids + (Number(f.lo) - 1);
        if (Number(f.last) !== ids) countersExact = false;
      }
      const [seqRows] = await db.query(
        "select count(*) as n, count(distinct num_value) as d from data_records where field = 'seq'",
      );
      const { n, d } = (seqRows as Array<{ n: number; d: number }>)[0] ?? { n: 0, d: 0 };
      const [dead] = await db.query('select count(*) as n from dead_letters');
      for (let n = 0; n < o.cluster.nodes.length && !o.singleDatabaseUrl; n++) {
        const c = await createConnection(o.cluster.nodeUrl(o.database, n)).catch(() => undefined);
        if (!c) continue;
        const [st] = await c.query(
          "select f.id, f.last_msg_id as last, (select max(msg_id) from data_records r where r.flow_id = f.id and r.field = 'seq') as hi, (select count(*) from data_records r where r.flow_id = f.id and r.field = 'seq') as n from flows f",
        );
        log(`node ${n}: ${JSON.stringify(st)}`);
        await c.end();
      }
      const databaseServersAfter = await Promise.all(replicas.map(databaseServerOf));
      let conflictRetries = 0;
      for (const r of replicas)
        conflictRetries += r.conflictRetries + (await conflictRetriesOf(r).catch(() => 0));
      return {
        published: o.messages,
        storedMessages: Number(d),
        duplicated: Number(n) - Number(d),
        lost: o.messages - Number(d),
        gaps,
        deadLetters: Number((dead as Array<{ n: number }>)[0]?.n ?? 0),
        countersExact,
        conflictRetries,
        databaseServers,
        databaseServersAfter,
        seconds: Math.round(seconds * 10) / 10,
        msgPerS: Math.round(o.messages / seconds),
        events,
      };
    } finally {
      await db.end();
    }
  } finally {
    await publisher?.endAsync().catch(() => {});
    await Promise.all(replicas.map((r) => stopReplica(r, 'SIGTERM')));
  }
}
