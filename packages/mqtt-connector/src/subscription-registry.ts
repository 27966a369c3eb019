import { ConnectorError } from './connector-error.js';
import { subscriptionProblem } from './connector-options.js';
import { reasonCodeText } from './reason-codes.js';

export interface SubscriptionResult {
  /** The filter as given (without the `$share/<group>/` prefix). */
  filter: string;
  requestedQos: 0 | 1 | 2;
  /** The QoS the broker granted, or null when refused or not sent yet. */
  grantedQos: 0 | 1 | 2 | null;
  /** `pending`: recorded, sent when the connection is (re)established. */
  state: 'granted' | 'refused' | 'pending';
  /** The SUBACK reason code, or null when there is none (pending, or no SUBACK came). */
  reasonCode: number | null;
  /** The outcome in words, e.g. `not authorized (0x87, MQTT 5)`. */
  reason: string;
}

export interface RecordedSubscription {
  filter: string;
  /** What is sent: `$share/<group>/<filter>` with a share group, else the filter. */
  wire: string;
  qos: 0 | 1 | 2;
  /**
   * MQTT 5 Retain Handling: 2 (send no retained messages) for a shared subscription — a broker that
   * sends them anyway (Mosquitto 2.0) would deliver each once per connection of the group — else 0.
   * MQTT 3.1.1 has no such option (the consumer ignores retained deliveries there).
   */
  rh: 0 | 2;
}

export type SubscribeOutcome = { granted: number[] } | { error: Error };

/**
 * The subscriptions a connector holds: those given at construction plus those added at run time, minus
 * those removed. Every connection re-establishes all of them in its connect handler.
 */
export class SubscriptionRegistry {
  readonly #byFilter = new Map<string, RecordedSubscription>();
  readonly #shareGroup: string | undefined;

  constructor(shareGroup: string | undefined) {
    this.#shareGroup = shareGroup;
  }

  /** Validates filters (throws MQTT_ERR_TOPIC) and returns them as a list. */
  static normalize(filters: string | readonly string[], shareGroup: string | undefined): string[] {
    const list = typeof filters === 'string' ? [filters] : [...filters];
    for (const filter of list) {
      const problem = subscriptionProblem(filter);
      if (problem)
        throw new ConnectorError('MQTT_ERR_TOPIC', `topic filter ${JSON.stringify(filter)}: ${problem}`);
      if (shareGroup !== undefined && filter.startsWith('$share/')) {
        throw new ConnectorError('MQTT_ERR_TOPIC', `${filter} is already shared while shareGroup is set`);
      }
    }
    return list;
  }

  add(filters: readonly string[], qos: 0 | 1 | 2): RecordedSubscription[] {
    return filters.map((filter) => {
      const rh = this.#shareGroup === undefined ? 0 : 2;
      const record: RecordedSubscription = { filter, wire: this.wire(filter), qos, rh };
      this.#byFilter.set(filter, record);
      return record;
    });
  }

  /**
   * Forgets the filters and returns their wire form, known or not: a persistent session may hold a
   * subscription an earlier process made, and only an explicit UNSUBSCRIBE removes it.
   */
  remove(filters: readonly string[]): string[] {
    return filters.map((filter) => {
      this.#byFilter.delete(filter);
      return this.wire(filter);
    });
  }

  list(): RecordedSubscription[] {
    return [...this.#byFilter.values()];
  }

  wire(filter: string): string {
    return this.#shareGroup === undefined ? filter : `$share/${this.#shareGroup}/${filter}`;
  }

  /** One result per filter from the outcomes on each live connection: refused > pending > granted. */
  static results(
    records: readonly RecordedSubscription[],
    outcomes: readonly SubscribeOutcome[],
    protocolVersion: 4 | 5,
  ): SubscriptionResult[] {
    const rank = { granted: 0, pending: 1, refused: 2 } as const;
    return records.map((record, i) => {
      const base = { filter: record.filter, requestedQos: record.qos };
      let worst: SubscriptionResult = {
        ...base,
        grantedQos: null,
        state: 'pending',
        reasonCode: null,
        reason: 'not connected: subscribed when the connection is established',
      };
      outcomes.forEach((outcome, n) => {
        let result: SubscriptionResult;
        if ('error' in outcome) {
          result = {
            ...base,
            grantedQos: null,
            state: 'pending',
            reasonCode: null,
            reason: `no SUBACK (${outcome.error.message}): subscribed again on reconnect`,
          };
        } else {
          const code = outcome.granted[i] as number;
          const reason = reasonCodeText('suback', code, protocolVersion);
          result =
            code >= 0x80
              ? { ...base, grantedQos: null, state: 'refused', reasonCode: code, reason }
              : { ...base, grantedQos: code as 0 | 1 | 2, state: 'granted', reasonCode: code, reason };
        }
        if (n === 0 || rank[result.state] > rank[worst.state]) worst = result;
      });
      return worst;
    });
  }
}
