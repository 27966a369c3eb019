import type { TopicContract } from '@iotgw/contracts';
import type { Logger } from '@iotgw/logger';
import type { MqttConnector } from '@iotgw/mqtt-connector';
import type { EdgeEventType } from './edge-outbound-filter.js';

export interface PublishCounters {
  published: number;
  refusedByFilter: number;
  invalid: number;
}

/**
 * Everything the edge sends goes through here: the payload is checked against its contract, then
 * emitted as an internal event that the outbound filter maps to a topic and the connector's durable
 * outbox delivers (QoS 1, stamped with a stable message id).
 */
export class ReadingPublisher {
  readonly counters: PublishCounters = { published: 0, refusedByFilter: 0, invalid: 0 };

  constructor(
    private readonly connector: MqttConnector,
    private readonly log: Logger,
  ) {}

  async publish<T>(
    contract: TopicContract<string, T>,
    varType: EdgeEventType,
    varName: string,
    payload: T,
    options: { retain?: boolean; replace?: boolean } = {},
  ): Promise<boolean> {
    const checked = contract.validate(payload);
    if (!checked.ok) {
      this.counters.invalid++;
      this.log.error(
        { contract: contract.name, varName, problems: checked.error.problems },
        'payload breaks its contract: not published',
      );
      return false;
    }
    return this.emitRaw(
      varType,
      varName,
      contract.encode(checked.value),
      options.retain ?? contract.retain,
      options.replace ?? false,
    );
  }

  /** For payloads outside our contracts (Home Assistant discovery, empty deletes). */
  async emitRaw(
    varType: EdgeEventType,
    varName: string,
    value: Buffer | string,
    retain = false,
    replace = false,
  ): Promise<boolean> {
    const meta = { ...(retain ? { retain: true } : {}), ...(replace ? { replace: true } : {}) };
    const result = await this.connector.emit({
      varType,
      varName,
      value,
      timestamp: Date.now(),
      ...(retain || replace ? { meta } : {}),
    });
    if (result === null) {
      this.counters.refusedByFilter++;
      return false;
    }
    this.counters.published++;
    return true;
  }
}
