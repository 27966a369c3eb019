import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { assertServiceAnswers, serviceEnv } from './services.js';

export interface TestDatabase {
  /** `mysql://…/<IOTGW_TEST_DB_PREFIX><label>_…` for a fresh, empty database. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named database on the MariaDB that CI announces (IOTGW_TEST_MYSQL_URL),
 * so concurrent test files never see each other's rows: `<IOTGW_TEST_DB_PREFIX><label>_<pid>_<random>`.
 * The caller drops it (`drop()`, in its afterAll). Throws when the server does not answer.
 */
export async function createMysqlDatabase(label = 'db'): Promise<TestDatabase> {
  const base = serviceEnv.mysqlUrl;
  if (!base) throw new Error('IOTGW_TEST_MYSQL_URL is not set');
  if (!/^[A-Za-z0-9_]{1,20}$/.test(label))
    throw new Error(`database label must be 1-20 letters, digits or "_"`);
  const prefix = serviceEnv.dbPrefix;
  await assertServiceAnswers('MariaDB', base);
  // At most 20 + 24 + 17 characters: MariaDB names stop at 64 (pid and random part keep it unique).
  const name = `${prefix}${label.slice(0, 24)}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection(base);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = await createConnection(base);
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}
