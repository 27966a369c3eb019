import { bleReading } from './contracts/ble-reading.js';
import { gatewayAvailability } from './contracts/gateway-availability.js';
import { gatewayCommand } from './contracts/gateway-command.js';
import { gatewayHealth } from './contracts/gateway-health.js';
import { gatewayReceipt } from './contracts/gateway-receipt.js';
import { meterConfig } from './contracts/meter-config.js';
import { meterData } from './contracts/meter-data.js';
import { meterProvisioning } from './contracts/meter-provisioning.js';
import { meterStatus } from './contracts/meter-status.js';
import { thingyReading } from './contracts/thingy-reading.js';
import type { TopicContract } from './topic-contract.js';

/** Every contract, for documentation, tests and tools that walk them all. */
export const allContracts: readonly TopicContract<string, unknown>[] = [
  thingyReading,
  bleReading,
  meterData,
  meterConfig,
  meterProvisioning,
  gatewayAvailability,
  gatewayHealth,
  meterStatus,
  gatewayCommand,
  gatewayReceipt,
] as readonly TopicContract<string, unknown>[];
