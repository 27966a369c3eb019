import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseEnv } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { describeErrors } from './describe-errors.js';
import { deepFreeze, formatPath, type PathSegment, setPath } from './json-path.js';
import { isSecretRef } from './secret-ref.js';

// ajv-formats is CommonJS with a default export; under NodeNext its default arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

export interface LoadConfigOptions {
  /** JSON Schema (draft 2020-12) of the whole configuration; `default`s are applied. */
  schema: object;
  /** YAML or JSON file to read; leave undefined to run on defaults and environment only. */
  file?: string | undefined;
  /** Environment to read; default `process.env`. It wins over the `.env` file, which wins over the file. */
  env?: Readonly<Record<string, string | undefined>>;
  /** A `.env` file read with Node's own parser (`util.parseEnv`); default `.env` if present; false = none. */
  envFile?: string | false;
  /** Environment variables bound to config paths, e.g. `{ MQTT_URL: 'mqtt.url' }`. */
  envBindings?: Readonly<Record<string, string>>;
  /**
   * Generic overrides: `<prefix>MQTT__CLIENT_ID` sets `mqtt.clientId` (`__` nests, `_` joins camelCase).
   */
  envPrefix?: string;
  /** Keys whose value in a file must be a secret reference (`env:NAME`, `file:/path`), never the secret. */
  secretKeys?: readonly string[];
  /** Upgrades an older file layout (by its `version`) to the current one before validation. */
  migrate?: (raw: Record<string, unknown>) => Record<string, unknown>;
}

export const DEFAULT_SECRET_KEYS = [
  'password',
  'passphrase',
  'secret',
  'token',
  'encryptionKey',
  'bindkey',
  'apiKey',
];

export interface ConfigCheck<T> {
  config: Readonly<T> | undefined;
  problems: ConfigProblem[];
}

/** Loads, merges, validates and freezes a configuration; throws a ConfigError listing every problem. */
export function loadConfig<T>(options: LoadConfigOptions): Readonly<T> {
  const { config, problems } = checkConfig<T>(options);
  if (!config) {
    const code = problems.some((p) => p.message.startsWith('is a secret'))
      ? 'CFG_ERR_SECRET'
      : 'CFG_ERR_SCHEMA';
    throw new ConfigError(code, problems);
  }
  return config;
}

/** Like loadConfig, but returns the problems instead of throwing (for `config check`). */
export function checkConfig<T>(options: LoadConfigOptions): ConfigCheck<T> {
  const problems: ConfigProblem[] = [];
  const sources = new Map<string, string>();
  let merged: Record<string, unknown> = {};
  let locate: (segments: readonly PathSegment[]) => string = () => 'defaults';

  if (options.file !== undefined) {
    const file = options.file;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`;
      throw new ConfigError('CFG_ERR_FILE', [{ source: file, path: '$', message: why }], { cause });
    }
    if (/\.json$/i.test(file)) {
      // YAML would accept what JSON does not (trailing commas, comments): a .json file is strict JSON.
      try {
        JSON.parse(text);
      } catch (cause) {
        throw new ConfigError(
          'CFG_ERR_PARSE',
          [{ source: file, path: '$', message: `is not valid JSON: ${(cause as Error).message}` }],
          { cause },
        );
      }
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        'CFG_ERR_PARSE',
        doc.errors.map((e) => {
          const pos = lineCounter.linePos(e.pos[0]);
          return {
            source: `${file}:${pos.line}:${pos.col}`,
            path: '$',
            message: `is not valid YAML/JSON: ${e.message.split('\n')[0]}`,
          };
        }),
      );
    }
    const raw = doc.toJS() as unknown;
    if (raw !== null && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
      throw new ConfigError('CFG_ERR_PARSE', [
        { source: file, path: '$', message: 'must be a mapping (key: value)' },
      ]);
    }
    merged = (raw ?? {}) as Record<string, unknown>;
    locate = (segments) => {
      for (let n = segments.length; n >= 0; n--) {
        const node = doc.getIn(segments.slice(0, n), true) as
          | { range?: [number, number, number] }
          | undefined;
        if (node && typeof node === 'object' && node.range) {
          const pos = lineCounter.linePos(node.range[0]);
          return `${file}:${pos.line}:${pos.col}`;
        }
      }
      return file;
    };
    for (const p of findLiteralSecrets(merged, options.secretKeys ?? DEFAULT_SECRET_KEYS)) {
      problems.push({
        source: locate(p),
        path: formatPath(p),
        message: `is a secret and may not be written in a config file: put it in an environment variable or a file and write env:NAME or file:/path here`,
      });
    }
    if (options.migrate) merged = options.migrate(merged);
  }

  const env = options.env ?? process.env;
  const dotenvPath = options.envFile === undefined ? (existsSync('.env') ? '.env' : false) : options.envFile;
  let dotenv: Record<string, string> = {};
  if (dotenvPath) {
    try {
      dotenv = parseEnv(readFileSync(dotenvPath, 'utf8')) as Record<string, string>;
    } catch (cause) {
      throw new ConfigError('CFG_ERR_FILE', [{ source: dotenvPath, path: '$', message: 'cannot be read' }], {
        cause,
      });
    }
  }
  const lookup = (name: string): { value: string; source: string } | undefined => {
    const fromEnv = env[name];
    if (fromEnv !== undefined) return { value: fromEnv, source: `env ${name}` };
    const fromFile = dotenv[name];
    if (fromFile !== undefined) return { value: fromFile, source: `${basename(String(dotenvPath))} ${name}` };
    return undefined;
  };
  const overrides: { name: string; segments: PathSegment[] }[] = [];
  for (const [name, path] of Object.entries(options.envBindings ?? {})) {
    overrides.push({ name, segments: path.split('.') });
  }
  if (options.envPrefix) {
    const prefix = options.envPrefix;
    for (const name of new Set([...Object.keys(dotenv), ...Object.keys(env)])) {
      if (!name.startsWith(prefix) || name.length === prefix.length) continue;
      overrides.push({ name, segments: name.slice(prefix.length).split('__').map(camelCase) });
    }
  }
  for (const { name, segments } of overrides) {
    const found = lookup(name);
    if (found === undefined || found.value === '') continue;
    const sub = subschema(options.schema, segments);
    const coerced = coerce(found.value, sub);
    if (!coerced.ok) {
      problems.push({ source: found.source, path: formatPath(segments), message: coerced.message });
      continue;
    }
    setPath(merged, segments, coerced.value);
    sources.set(formatPath(segments), found.source);
  }

  const ajv = addFormats(
    new Ajv2020({ allErrors: true, useDefaults: true, strict: false, allowUnionTypes: true, verbose: true }),
  );
  const validate = ajv.compile(options.schema);
  const candidate = structuredClone(merged);
  if (!validate(candidate)) {
    for (const p of describeErrors(validate.errors ?? [])) problems.push(withSource(p, sources, locate));
  }
  if (problems.length > 0) return { config: undefined, problems };
  return { config: deepFreeze(candidate) as Readonly<T>, problems };
}

function camelCase(snake: string): string {
  return snake.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function findLiteralSecrets(
  value: unknown,
  keys: readonly string[],
  at: PathSegment[] = [],
): PathSegment[][] {
  const out: PathSegment[][] = [];
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...findLiteralSecrets(v, keys, [...at, i]));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (keys.includes(k) && v !== null && v !== undefined && !isSecretRef(v)) out.push([...at, k]);
      else out.push(...findLiteralSecrets(v, keys, [...at, k]));
    }
  }
  return out;
}

type Schema = Record<string, unknown>;

function subschema(schema: object, segments: readonly PathSegment[]): Schema | undefined {
  let node = schema as Schema | undefined;
  for (const seg of segments) {
    if (!node) return undefined;
    const props = node['properties'] as Record<string, Schema> | undefined;
    node =
      props?.[String(seg)] ??
      (typeof node['additionalProperties'] === 'object'
        ? (node['additionalProperties'] as Schema)
        : undefined);
  }
  return node;
}

function coerce(
  text: string,
  schema: Schema | undefined,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const types = schema ? ([] as unknown[]).concat(schema['type'] ?? []) : [];
  if (types.includes('integer') || types.includes('number')) {
    const n = Number(text);
    if (text.trim() === '' || Number.isNaN(n))
      return { ok: false, message: `must be a number (got ${JSON.stringify(text)})` };
    return { ok: true, value: n };
  }
  if (types.includes('boolean')) {
    if (/^(true|1|yes|on)$/i.test(text)) return { ok: true, value: true };
    if (/^(false|0|no|off)$/i.test(text)) return { ok: true, value: false };
    return { ok: false, message: `must be true or false (got ${JSON.stringify(text)})` };
  }
  if (types.includes('array') || types.includes('object')) {
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      if (types.includes('array'))
        return {
          ok: true,
          value: text
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        };
      return { ok: false, message: 'must be JSON' };
    }
  }
  return { ok: true, value: text };
}

function withSource(
  { segments, message }: { segments: PathSegment[]; message: string },
  sources: Map<string, string>,
  locate: (segments: readonly PathSegment[]) => string,
): ConfigProblem {
  const path = formatPath(segments);
  let source = locate(segments);
  for (let n = segments.length; n >= 0; n--) {
    const s = sources.get(formatPath(segments.slice(0, n)));
    if (s) {
      source = s;
      break;
    }
  }
  return { source, path, message };
}
