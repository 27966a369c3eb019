import { createMysqlDatabase, serviceEnv, skipIfMissing } from '@iotgw/testkit';
import { createConnection } from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';

/** Tests on a shared MariaDB: every database they create carries IOTGW_TEST_DB_PREFIX and is dropped. */
describe('test database prefix', () => {
  const before = process.env['IOTGW_TEST_DB_PREFIX'];
  afterEach(() => {
    if (before === undefined) delete process.env['IOTGW_TEST_DB_PREFIX'];
    else process.env['IOTGW_TEST_DB_PREFIX'] = before;
  });

  it('defaults to iotgw_t_ and refuses a prefix that is not a plain name', () => {
    delete process.env['IOTGW_TEST_DB_PREFIX'];
    expect(serviceEnv.dbPrefix).toBe('iotgw_t_');
    process.env['IOTGW_TEST_DB_PREFIX'] = 'ci-42;';
    expect(() => serviceEnv.dbPrefix).toThrow(
      'IOTGW_TEST_DB_PREFIX must be 1-20 letters, digits or "_" (got "ci-42;")',
    );
  });

  it.skipIf(skipIfMissing('mysql'))(
    'creates databases under the prefix and drop() removes them',
    async () => {
      const prefix = `pt${process.pid}_`;
      process.env['IOTGW_TEST_DB_PREFIX'] = prefix;
      const db = await createMysqlDatabase('pfx');
      expect(db.name.startsWith(`${prefix}pfx_`)).toBe(true);
      const list = async () => {
        const c = await createConnection(serviceEnv.mysqlUrl as string);
        try {
          const [rows] = await c.query('SHOW DATABASES LIKE ?', [`${prefix}%`]);
          return (rows as Record<string, string>[]).map((r) => Object.values(r)[0]);
        } finally {
          await c.end();
        }
      };
      expect(await list()).toEqual([db.name]);
      await db.drop();
      expect(await list()).toEqual([]);
    },
  );
});
