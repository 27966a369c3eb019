import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { assertServiceAnswers, serviceEnv } from './services.js';

export interface TestDatabase {
  /** `mysql://…/iotgw_t_…` for a fresh, empty database. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh, uniquely named database on the MariaDB that CI announces (IOTGW_TEST_MYSQL_URL),
 * so concurrent test files never see each other's rows. Throws when the server does not answer.
 */
export async function createMysqlDatabase(prefix = 'iotgw_t'): Promise<TestDatabase> {
  const base = serviceEnv.mysqlUrl;
  if (!base) throw new Error('IOTGW_TEST_MYSQL_URL is not set');
  await assertServiceAnswers('MariaDB', base);
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
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
