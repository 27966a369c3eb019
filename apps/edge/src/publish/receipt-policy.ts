import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bleReading, meterData, thingyReading } from '@iotgw/contracts';

/** The contracts of readings: the messages that wait in the outbox for the server's receipt. */
const readingContracts = [bleReading, meterData, thingyReading] as const;

/**
 * Which outbox topics wait for a receipt (docs/edge.md, `mqtt.receipts`): this gateway's readings on
 * their contract topics (the server sends receipts for exactly those). Status, health, meter config and
 * discovery messages, and readings sent elsewhere by an outbound rule, leave on the broker's PUBACK.
 */
export function readingTopicOf(gatewayId: string): (topic: string) => boolean {
  return (topic) =>
    readingContracts.some((c) => (c.match(topic) as { gatewayId?: string } | null)?.gatewayId === gatewayId);
}

/**
 * `mqtt.receipts: auto` remembers, in `<stateDir>/receipts-seen`, that the server has sent a receipt:
 * after a restart (even while the server is away) readings are kept from the first one on.
 */
export function receiptMemory(stateDir: string): { learned: boolean; remember: () => void } {
  const file = join(stateDir, 'receipts-seen');
  return {
    learned: existsSync(file),
    remember: () => {
      try {
        writeFileSync(file, `${new Date().toISOString()}\n`, { mode: 0o600 });
      } catch {
        // Not fatal: the next run learns again from the next receipt.
      }
    },
  };
}
