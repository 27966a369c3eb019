import { connect } from 'node:net';

/**
 * The services CI provides, announced through environment variables set by `.ci/run`:
 * - IOTGW_TEST_MQTT_URL   a running Mosquitto, e.g. mqtt://127.0.0.1:1883
 * - IOTGW_TEST_MYSQL_URL  a running MariaDB/MySQL, e.g. mysql://root@127.0.0.1:3306/test
 * - IOTGW_TEST_MOSQUITTO_BIN  the mosquitto binary, for tests that start and stop their own broker
 * When a variable is set, the service must answer: a test that needs it fails instead of skipping.
 */
export const serviceEnv = {
  // Read when asked, not when testkit loads: a benchmark may announce a service before using it.
  get mqttUrl(): string | undefined {
    return process.env['IOTGW_TEST_MQTT_URL'] || undefined;
  },
  get mysqlUrl(): string | undefined {
    return process.env['IOTGW_TEST_MYSQL_URL'] || undefined;
  },
  /**
   * How every database a test creates begins (IOTGW_TEST_DB_PREFIX, default `iotgw_t_`), so runs that
   * share one MariaDB (several checkouts, CI) keep apart and leftovers are easy to find.
   */
  get dbPrefix(): string {
    const prefix = process.env['IOTGW_TEST_DB_PREFIX'] || 'iotgw_t_';
    if (!/^[A-Za-z0-9_]{1,20}$/.test(prefix))
      throw new Error(
        `IOTGW_TEST_DB_PREFIX must be 1-20 letters, digits or "_" (got ${JSON.stringify(prefix)})`,
      );
    return prefix;
  },
  get mosquittoBin(): string | undefined {
    return process.env['IOTGW_TEST_MOSQUITTO_BIN'] || undefined;
  },
};

/** Throws a clear error when the service behind `url` does not accept TCP connections. */
export async function assertServiceAnswers(name: string, url: string, timeoutMs = 3_000): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol.startsWith('mysql') ? 3306 : 1883));
  const host = u.hostname || '127.0.0.1';
  const ok = await new Promise<boolean>((resolve) => {
    const socket = connect({ port, host });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ok)
    throw new Error(`${name} is announced at ${host}:${port} but does not answer; start it (see .ci/run)`);
}

/** Why a test that needs `what` cannot run here, printed once; null when it can. */
export function skipReason(what: 'mysql' | 'mosquitto'): string | null {
  if (what === 'mysql' && !serviceEnv.mysqlUrl) {
    return 'IOTGW_TEST_MYSQL_URL is not set: MariaDB tests skipped (CI sets it; export it to run them)';
  }
  if (what === 'mosquitto' && !serviceEnv.mosquittoBin) {
    return 'IOTGW_TEST_MOSQUITTO_BIN is not set: tests that run their own Mosquitto skipped (CI sets it)';
  }
  return null;
}

/** For `describe.skipIf(skipIfMissing('mysql'))`: prints the reason and returns true when the service is not announced. */
export function skipIfMissing(what: 'mysql' | 'mosquitto'): boolean {
  const reason = skipReason(what);
  if (reason) console.warn(`[skip] ${reason}`);
  return reason !== null;
}
