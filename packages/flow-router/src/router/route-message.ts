import type { CompiledFlow } from '../flows/compile-flow.js';
import { decodePayload } from '../pipeline/decode-payload.js';
import { type MessageKey, messageKey } from '../pipeline/message-key.js';
import { recordValues } from '../pipeline/record-values.js';
import type { WorkAction, WorkItem } from '../pipeline/work-item.js';
import type { InboundMessage } from './router-transport.js';

/**
 * Turns one message and the flows it matched into work items: decode once (UTF-8 JSON object), key
 * once, then per flow validate and build the action — records for STORE_DB, a queued POST for
 * POST_ENDPOINT, or a dead letter naming the reason and JSON path. Pure: no I/O, never throws on input.
 */
export interface RouteOptions {
  /** ROUTER_MSG_ID_FIELD: the payload field that carries a message id. */
  readonly idField: string;
  /** ROUTER_MAX_FIELDS: most records one stored message may give. */
  readonly maxFields: number;
}

export function routeMessage(
  msg: InboundMessage,
  flows: readonly CompiledFlow[],
  options: RouteOptions,
  keyOverride?: MessageKey,
): WorkItem[] {
  const { idField } = options;
  const decoded = decodePayload(msg.payload);
  const key =
    keyOverride ??
    messageKey(msg.topic, msg.payload, msg.userProperties, decoded.ok ? decoded.value : undefined, idField);
  return flows.map((flow): WorkItem => {
    let action: WorkAction;
    if (!decoded.ok) {
      action = { kind: 'dead', reason: { code: decoded.code, reason: decoded.detail, jsonPath: '$' } };
    } else {
      const check = flow.schema.validate(decoded.value);
      if (!check.ok) {
        action = {
          kind: 'dead',
          reason: { code: 'PAYLOAD_ERR_SCHEMA', reason: check.problems.join('; '), jsonPath: check.path },
        };
      } else if (flow.action === 'POST_ENDPOINT' && flow.endpointUrl !== null) {
        action = { kind: 'post', url: flow.endpointUrl, body: Buffer.from(msg.payload).toString('utf8') };
      } else {
        const values = recordValues(decoded.value, idField, options.maxFields);
        action = values.ok
          ? { kind: 'store', values: values.values }
          : { kind: 'dead', reason: { code: values.code, reason: values.detail, jsonPath: values.path } };
      }
    }
    return {
      flowId: flow.id,
      flowCode: flow.code,
      key,
      topic: msg.topic,
      receivedAt: msg.receivedAt,
      payload: msg.payload,
      userProperties: msg.userProperties,
      action,
    };
  });
}
