import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from './free-port.js';

/** One node of a test Galera cluster: its own data directory, ports and `mariadbd` process. */
export interface GaleraNode {
  readonly name: string;
  /** SQL port on 127.0.0.1 (user root, no password, over TCP). */
  readonly port: number;
  readonly pid: number | undefined;
}

export interface GaleraCluster {
  readonly nodes: readonly GaleraNode[];
  /**
   * A `mysql://` URL naming every node, starting with node `first` (the others follow in order): the
   * failover list an application is given.
   */
  url(database: string, first?: number): string;
  /** A URL naming one node only. */
  nodeUrl(database: string, index: number): string;
  /** SIGKILL of one node. */
  kill(index: number): Promise<void>;
  /** Starts a killed node again from its recovered position (IST) and waits until it is Synced. */
  restart(index: number): Promise<void>;
  /** Stops every node (SIGTERM, then SIGKILL) and removes the data directories. */
  stop(): Promise<void>;
}

/** Where the Debian packages put what a Galera node needs; undefined when all is there. */
export function galeraMissing(): string | undefined {
  const need = ['/usr/sbin/mariadbd', '/usr/lib/galera/libgalera_smm.so', '/usr/bin/mariadb-install-db'];
  const missing = need.filter((p) => !existsSync(p));
  if (missing.length > 0) return `missing ${missing.join(', ')} (apt-get install mariadb-server galera-4)`;
  if (!existsSync('/usr/bin/mariadb-backup') && !existsSync('/usr/bin/mariabackup'))
    return 'missing mariadb-backup (apt-get install mariadb-backup)';
  return undefined;
}

interface NodeState {
  readonly name: string;
  readonly dir: string;
  readonly cnf: string;
  readonly port: number;
  child: ChildProcess | undefined;
}

function nodeConfig(dir: string, name: string, ports: number[], gcomm: string): string {
  const [sql, group, ist, sst] = ports;
  return [
    '[mysqld]',
    'user=root',
    `datadir=${dir}/data`,
    `socket=${dir}/mysqld.sock`,
    `pid-file=${dir}/mysqld.pid`,
    `log-error=${dir}/error.log`,
    `tmpdir=${dir}/tmp`,
    `port=${sql}`,
    'bind-address=127.0.0.1',
    'skip-name-resolve',
    'binlog_format=ROW',
    'default_storage_engine=InnoDB',
    'innodb_autoinc_lock_mode=2',
    'innodb_buffer_pool_size=64M',
    'innodb_log_file_size=32M',
    'innodb_flush_log_at_trx_commit=2',
    'max_connections=300',
    'wsrep_on=ON',
    'wsrep_provider=/usr/lib/galera/libgalera_smm.so',
    'wsrep_cluster_name=iotgw_test',
    `wsrep_cluster_address=gcomm://${gcomm}`,
    `wsrep_node_name=${name}`,
    `wsrep_node_address=127.0.0.1:${group}`,
    `wsrep_provider_options="gmcast.listen_addr=tcp://127.0.0.1:${group}; ist.recv_addr=127.0.0.1:${ist}; gcache.size=64M"`,
    'wsrep_sst_method=mariabackup',
    `wsrep_sst_receive_address=127.0.0.1:${sst}`,
    '[sst]',
    `sst-log-archive-dir=${dir}/sst_log_archive`,
    '',
  ].join('\n');
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Runs SQL through the node's socket as root (unix_socket auth), with the mariadb client. */
function socketSql(node: NodeState, sql: string): string {
  const r = spawnSync(
    'mariadb',
    ['--no-defaults', '-S', join(node.dir, 'mysqld.sock'), '-uroot', '-N', '-e', sql],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`${node.name}: ${sql}: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

async function waitSynced(node: NodeState, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    if (node.child === undefined || node.child.exitCode !== null) {
      throw new Error(`${node.name} exited while starting: ${tail(node)}`);
    }
    try {
      const c = await createConnection({
        host: '127.0.0.1',
        port: node.port,
        user: 'root',
        connectTimeout: 1_000,
      });
      try {
        const [rows] = await c.query("SHOW STATUS LIKE 'wsrep_local_state_comment'");
        last = String((rows as Array<{ Value: string }>)[0]?.Value ?? '');
        if (last === 'Synced') return;
      } finally {
        await c.end();
      }
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline)
      throw new Error(`${node.name} not Synced after ${timeoutMs} ms (${last}): ${tail(node)}`);
    await sleep(200);
  }
}

function tail(node: NodeState): string {
  const log = join(node.dir, 'error.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no log)';
}

function spawnNode(node: NodeState, extra: string[]): void {
  const child = spawn('/usr/sbin/mariadbd', [`--defaults-file=${node.cnf}`, ...extra], {
    stdio: 'ignore',
  });
  child.on('error', () => {});
  node.child = child;
}

async function signalNode(node: NodeState, signal: NodeJS.Signals, graceMs = 20_000): Promise<void> {
  const c = node.child;
  node.child = undefined;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
    c.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    c.kill(signal);
  });
}

/** `uuid:seqno` from `mariadbd --wsrep-recover` (what a node SIGKILLed had committed). */
async function recoverPosition(node: NodeState): Promise<string | undefined> {
  const log = join(node.dir, 'error.log');
  const before = existsSync(log) ? readFileSync(log, 'utf8').length : 0;
  await new Promise<void>((resolve) => {
    const c = spawn('/usr/sbin/mariadbd', [`--defaults-file=${node.cnf}`, '--wsrep-recover'], {
      stdio: 'ignore',
    });
    c.once('exit', () => resolve());
    c.once('error', () => resolve());
  });
  const text = existsSync(log) ? readFileSync(log, 'utf8').slice(before) : '';
  return /Recovered position:\s*([0-9a-f-]+:-?\d+)/.exec(text)?.[1];
}

/**
 * Starts a 3-node MariaDB Galera cluster on 127.0.0.1 (own ports and data directories under a temp
 * folder; the machine's MariaDB is never touched), creates `databases` and a TCP user root@127.0.0.1
 * without password, and returns when every node is Synced. Fast path: one node is initialised and
 * copied to the others, so no state transfer is needed at start.
 */
export async function startGaleraCluster(
  options: { databases?: string[]; size?: number } = {},
): Promise<GaleraCluster> {
  const reason = galeraMissing();
  if (reason) throw new Error(`cannot start a Galera cluster: ${reason}`);
  const size = options.size ?? 3;
  const root = mkdtempSync(join(tmpdir(), 'iotgw-galera-'));
  const ports: number[][] = [];
  for (let i = 0; i < size; i++)
    ports.push([await freePort(), await freePort(), await freePort(), await freePort()]);
  const gcomm = ports.map((p) => `127.0.0.1:${p[1]}`).join(',');
  const nodes: NodeState[] = ports.map((p, i) => {
    const name = `n${i + 1}`;
    const dir = join(root, name);
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    const cnf = join(dir, 'node.cnf');
    writeFileSync(cnf, nodeConfig(dir, name, p, gcomm));
    return { name, dir, cnf, port: p[0] as number, child: undefined };
  });
  const first = nodes[0] as NodeState;
  const stopAll = async () => {
    await Promise.all(nodes.map((n) => signalNode(n, 'SIGTERM')));
  };
  try {
    const init = spawnSync(
      '/usr/bin/mariadb-install-db',
      [
        `--defaults-file=${first.cnf}`,
        '--user=root',
        '--skip-test-db',
        '--auth-root-authentication-method=socket',
      ],
      { encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(`mariadb-install-db failed: ${init.stderr}`);
    spawnNode(first, ['--wsrep-new-cluster']);
    // A fresh data directory has no TCP user yet: wait on the socket.
    for (let i = 0; ; i++) {
      try {
        socketSql(first, 'select 1');
        break;
      } catch (err) {
        if (i > 300 || first.child?.exitCode !== null) throw err;
        await sleep(200);
      }
    }
    socketSql(
      first,
      [
        "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''",
        "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION",
        ...(options.databases ?? []).map(
          (d) => `CREATE DATABASE IF NOT EXISTS \`${d}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        ),
      ].join('; '),
    );
    await waitSynced(first, 60_000);
    await signalNode(first, 'SIGTERM');
    for (const n of nodes.slice(1)) {
      cpSync(join(first.dir, 'data'), join(n.dir, 'data'), { recursive: true });
      rmSync(join(n.dir, 'data', 'gvwstate.dat'), { force: true });
      const gs = join(n.dir, 'data', 'grastate.dat');
      writeFileSync(gs, readFileSync(gs, 'utf8').replace(/safe_to_bootstrap:\s*1/, 'safe_to_bootstrap: 0'));
    }
    spawnNode(first, ['--wsrep-new-cluster']);
    await waitSynced(first, 60_000);
    for (const n of nodes.slice(1)) {
      spawnNode(n, []);
      await waitSynced(n, 90_000);
    }
  } catch (err) {
    await stopAll();
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  const urlOf = (database: string, order: NodeState[]) =>
    `mysql://root@${order.map((n) => `127.0.0.1:${n.port}`).join(',')}/${database}`;
  return {
    nodes: nodes.map((n) => ({
      name: n.name,
      port: n.port,
      get pid() {
        return n.child?.pid;
      },
    })),
    url: (database, start = 0) => urlOf(database, [...nodes.slice(start), ...nodes.slice(0, start)]),
    nodeUrl: (database, index) => urlOf(database, [nodes[index] as NodeState]),
    kill: (index) => signalNode(nodes[index] as NodeState, 'SIGKILL'),
    async restart(index) {
      const node = nodes[index] as NodeState;
      await signalNode(node, 'SIGKILL');
      const position = await recoverPosition(node);
      spawnNode(node, position ? [`--wsrep-start-position=${position}`] : []);
      await waitSynced(node, 120_000);
    },
    async stop() {
      await stopAll();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
