// Child process of the crash test. Run by plain Node (type stripping) against the BUILT package:
//   node test/support/crash-child.ts <outbox path> <broker url> <always|group>
// It publishes forever while the broker is down and prints `<id> <n>` for every publish() that resolved.
import { createLogger } from '@iotgw/logger';
import { MqttConnector, SqliteOutbox } from '@iotgw/mqtt-connector';

const [path, url, policy] = process.argv.slice(2);
if (!path || !url) throw new Error('usage: crash-child.ts <outbox path> <broker url> <always|group>');
const outbox = new SqliteOutbox({ path, fsync: policy === 'always' ? 'always' : { groupCommitMs: 10 } });
const connector = new MqttConnector(
  {
    url,
    clientId: `iotgw-crash-child-${process.pid}`,
    protocolVersion: 4,
    reconnect: { initialMs: 200, maxMs: 1_000 },
  },
  { logger: createLogger({ name: 'crash-child', level: 'silent', format: 'json' }), outbox },
);
await connector.start();
let n = 0;
for (;;) {
  await Promise.all(
    Array.from({ length: 25 }, () => {
      const k = n++;
      return connector.publish(`iotgw-crash/${k % 3}`, JSON.stringify({ n: k })).then(({ id }) => {
        // Pipes are written synchronously on Linux: a line seen by the parent is a resolved publish().
        process.stdout.write(`${id} ${k}\n`);
      });
    }),
  );
}
