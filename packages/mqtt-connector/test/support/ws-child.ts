// Child process of the WebSocket test, run by plain Node against the BUILT package:
//   node test/support/ws-child.ts ws://127.0.0.1:<port>/mqtt
// Publishes to ws/echo (subscribed) until the message comes back, prints its payload, stops.
import { createLogger } from '@iotgw/logger';
import { MemoryOutbox, MqttConnector } from '@iotgw/mqtt-connector';

const [url] = process.argv.slice(2);
if (!url) throw new Error('usage: ws-child.ts <ws url>');
const connector = new MqttConnector(
  { url, clientId: `iotgw-t-ws-${process.pid}`, protocolVersion: 4, subscriptions: ['ws/echo'] },
  { logger: createLogger({ name: 'ws-child', level: 'silent', format: 'json' }), outbox: new MemoryOutbox() },
);
const echoed = new Promise<string>((resolve) => {
  connector.onMessage(async (m) => resolve(m.payload.toString()));
});
await connector.start();
const timer = setInterval(() => {
  if (connector.connected) void connector.publish('ws/echo', 'over websocket');
}, 50);
const payload = await echoed;
clearInterval(timer);
process.stdout.write(`${payload} ${connector.metrics().connections[0]?.state}\n`);
await connector.stop({ flushTimeoutMs: 200 });
