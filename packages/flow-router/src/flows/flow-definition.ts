import { topicFilterProblem } from '@iotgw/contracts';
import { endpointProblem } from '../http/endpoint-policy.js';
import type { InputProblem } from '../router-error.js';
import { type FlowSchemaForm, parseFlowSchema } from '../validation/flow-schema.js';
import type { CompiledSchema, SchemaCompiler } from '../validation/schema-compiler.js';

export const FLOW_ACTIONS = ['STORE_DB', 'POST_ENDPOINT'] as const;
export type FlowAction = (typeof FLOW_ACTIONS)[number];

/** What defines a flow's behaviour (the rest — id, enabled, counter — is bookkeeping). */
export interface FlowDefinition {
  readonly code: string;
  readonly topic: string;
  /** Parsed JSON: null, the legacy form or a JSON Schema. */
  readonly payloadSchema: unknown;
  readonly action: string;
  readonly endpointUrl: string | null;
}

export interface FlowCheckOptions {
  readonly compiler: SchemaCompiler;
  readonly allowedHosts: readonly string[] | null;
}

export type FlowCheck =
  | { ok: true; action: FlowAction; schema: CompiledSchema; schemaForm: FlowSchemaForm }
  | { ok: false; problems: InputProblem[] };

export const MAX_TOPIC_FILTER_LENGTH = 1024;

export function isFlowAction(value: string): value is FlowAction {
  return (FLOW_ACTIONS as readonly string[]).includes(value);
}

/**
 * Checks a flow definition the way it is checked everywhere (API writes and flow loading): the code,
 * the topic filter (MQTT rules, no `$share/` — sharing is the connector's job), the action, the
 * endpoint URL of a POST_ENDPOINT flow and the payload schema. Every problem carries its JSON path.
 */
export function checkFlowDefinition(def: FlowDefinition, options: FlowCheckOptions): FlowCheck {
  const problems: InputProblem[] = [];
  if (def.code.trim() === '' || def.code.length > 100 || /[\u0000-\u001f]/.test(def.code)) {
    problems.push({ path: '$.code', message: 'must be 1 to 100 printable characters' });
  }
  const topicProblem = topicFilterProblem(def.topic);
  if (topicProblem) problems.push({ path: '$.topic', message: topicProblem });
  else if (def.topic.startsWith('$share/')) {
    problems.push({
      path: '$.topic',
      message: 'must not be a $share/ filter (the MQTT connector sets the share group)',
    });
  } else if (def.topic.length > MAX_TOPIC_FILTER_LENGTH) {
    problems.push({ path: '$.topic', message: `must be at most ${MAX_TOPIC_FILTER_LENGTH} characters` });
  }
  const action = def.action;
  if (!isFlowAction(action)) {
    problems.push({
      path: '$.action',
      message: `must be one of ${FLOW_ACTIONS.join(', ')} (got '${action}')`,
    });
  } else if (action === 'POST_ENDPOINT') {
    if (def.endpointUrl === null || def.endpointUrl.trim() === '') {
      problems.push({ path: '$.endpointUrl', message: 'is required for a POST_ENDPOINT flow' });
    } else {
      const p = endpointProblem(def.endpointUrl, options.allowedHosts);
      if (p) problems.push({ path: '$.endpointUrl', message: p });
    }
  }
  const parsed = parseFlowSchema(def.payloadSchema);
  let schema: CompiledSchema | undefined;
  let schemaForm: FlowSchemaForm = 'none';
  if (!parsed.ok) problems.push(...parsed.problems);
  else {
    const compiled = options.compiler.compile(parsed.jsonSchema);
    if (compiled.ok) {
      schema = compiled.schema;
      schemaForm = parsed.form;
    } else problems.push(...compiled.problems);
  }
  if (problems.length > 0 || schema === undefined || !isFlowAction(action)) return { ok: false, problems };
  return { ok: true, action, schema, schemaForm };
}
