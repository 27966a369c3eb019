import { compilePayloadSchema, type PayloadError, type Validated } from './payload-validator.js';
import { type TopicParams, type TopicTemplate, topicTemplate } from './topic-template.js';

export type Parsed<T> = Validated<T>;

/** One MQTT topic: where it lives, what its payload looks like, and how to read and write it. */
export interface TopicContract<K extends string, T> extends TopicTemplate<K> {
  /** Stable name used in docs, logs and flow seeds, e.g. `thingyReading`. */
  readonly name: string;
  readonly description: string;
  /** `json` payloads are UTF-8 JSON; `text` payloads are a bare UTF-8 string (e.g. `online`). */
  readonly encoding: 'json' | 'text';
  /** Whether publishers set the MQTT retain flag on this topic. */
  readonly retain: boolean;
  /**
   * Whether payloads on this topic may carry secrets (AES meter keys, commands): such topics are never
   * routed into server flows or dead letters, whatever filter a flow has.
   */
  readonly carriesSecrets: boolean;
  /** The payload JSON Schema (draft 2020-12). */
  readonly schema: object;
  /** Validates an in-memory payload against the schema. */
  validate(payload: unknown): Parsed<T>;
  /** Decodes and validates bytes received from MQTT. Never throws. */
  parse(bytes: Uint8Array | string): Parsed<T>;
  /** Validates and serialises a payload for publishing. Throws a PayloadSchemaError on a bad payload. */
  encode(payload: T): Buffer;
}

/** Thrown when code tries to publish a payload that breaks its contract: a programming error. */
export class PayloadSchemaError extends Error {
  readonly code = 'PAYLOAD_ERR_SCHEMA';
  constructor(
    readonly contract: string,
    readonly error: PayloadError,
  ) {
    super(error.message);
    this.name = 'PayloadSchemaError';
  }
}

interface ContractSpec {
  name: string;
  description: string;
  template: string;
  schema: object;
  encoding?: 'json' | 'text';
  retain?: boolean;
  /** Payloads may carry secrets (default false); see TopicContract.carriesSecrets. */
  carriesSecrets?: boolean;
  /** Rewrites a decoded JSON value before validation (e.g. accepting legacy key spellings). */
  normalize?: (value: unknown) => unknown;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function defineContract<T, const K extends string = string>(spec: ContractSpec): TopicContract<K, T> {
  const tpl = topicTemplate<K>(spec.template);
  const check = compilePayloadSchema<T>(spec.schema, spec.name);
  const encoding = spec.encoding ?? 'json';
  const normalize = spec.normalize ?? ((v: unknown) => v);

  function validate(payload: unknown): Parsed<T> {
    return check(normalize(payload));
  }

  return {
    ...tpl,
    name: spec.name,
    description: spec.description,
    encoding,
    retain: spec.retain ?? false,
    carriesSecrets: spec.carriesSecrets ?? false,
    schema: spec.schema,
    validate,
    parse(bytes) {
      let text: string;
      try {
        text = typeof bytes === 'string' ? bytes : decoder.decode(bytes);
      } catch {
        return { ok: false, error: jsonError(spec.name, 'is not valid UTF-8') };
      }
      if (encoding === 'text') return validate(text);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        return { ok: false, error: jsonError(spec.name, `is not JSON (${(cause as Error).message})`) };
      }
      return validate(value);
    },
    encode(payload) {
      const result = validate(payload);
      if (!result.ok) throw new PayloadSchemaError(spec.name, result.error);
      return Buffer.from(encoding === 'text' ? String(result.value) : JSON.stringify(result.value), 'utf8');
    },
  };
}

function jsonError(name: string, what: string): PayloadError {
  const message = `${name} payload ${what}`;
  return { code: 'PAYLOAD_ERR_JSON', path: '$', message, problems: [`$ ${what}`] };
}

export type ParamsOf<C> = C extends TopicContract<infer K, unknown> ? TopicParams<K> : never;
export type PayloadOf<C> = C extends TopicContract<string, infer T> ? T : never;
