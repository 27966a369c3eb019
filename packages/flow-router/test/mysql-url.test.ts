import { serviceEnv, skipIfMissing } from '@iotgw/testkit';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { parseMysqlUrl, redactMysqlUrl } from '../src/db/mysql-url.js';
import { openDatabase } from '../src/index.js';

describe('DATABASE_URL with a failover list of hosts', () => {
  it('parses one host, several hosts, default ports and credentials', () => {
    expect(parseMysqlUrl('mysql://u:p%40ss@db1:3307,db2,[::1]:3308/iot?ssl=true')).toEqual({
      hosts: [
        { host: 'db1', port: 3307 },
        { host: 'db2', port: 3306 },
        { host: '::1', port: 3308 },
      ],
      user: 'u',
      password: 'p@ss',
      database: 'iot',
      search: '?ssl=true',
    });
    expect(parseMysqlUrl('mariadb://root@127.0.0.1/x')).toMatchObject({
      hosts: [{ host: '127.0.0.1', port: 3306 }],
    });
  });

  it('names what is wrong', () => {
    expect(parseMysqlUrl('mysql://u@h1,,h2/db')).toEqual({ problem: 'names no host' });
    expect(parseMysqlUrl('mysql://u@h1:99999/db')).toEqual({ problem: "has a bad port in 'h1:99999'" });
    expect(parseMysqlUrl('mysql://u@h1/')).toMatchObject({
      problem: expect.stringMatching(/names no database/),
    });
    expect(parseMysqlUrl(`mysql://u@${Array.from({ length: 17 }, (_, i) => `h${i}`).join(',')}/db`)).toEqual({
      problem: 'names more than 16 hosts',
    });
  });

  it('redacts the password and keeps every host', () => {
    expect(redactMysqlUrl('mysql://u:secret@h1:1,h2:2/db')).toBe('mysql://u:***@h1:1,h2:2/db');
    expect(redactMysqlUrl('mysql://h1/db')).toBe('mysql://h1/db');
  });

  it.skipIf(skipIfMissing('mysql'))(
    'a host that refuses connections is passed over for the next one',
    async () => {
      const real = new URL(serviceEnv.mysqlUrl as string);
      // Port 1 on loopback refuses at once; the real server comes second in the list.
      const url = `mysql://${real.username}@127.0.0.1:1,${real.hostname}:${real.port || 3306}${real.pathname}`;
      const db = openDatabase(url);
      try {
        const r = await sql<{ one: number }>`select 1 as one`.execute(db.db);
        expect(r.rows[0]?.one).toBe(1);
        expect(db.server()).toBe(`${real.hostname}:${real.port || 3306}`);
      } finally {
        await db.close();
      }
    },
  );
});
