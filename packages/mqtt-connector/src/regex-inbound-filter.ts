import { decodeEventValue, type GatewayEvent, type InboundFilter } from './gateway-event.js';
import { LruCache } from './lru-cache.js';
import {
  compileRuleRegex,
  compileTemplate,
  namedGroups,
  type RuleTemplate,
  renderTemplate,
  ruleError,
} from './rule-template.js';

/** One event a matching topic produces. `varType`/`varName` may use `{group}` placeholders. */
export interface InboundDispatch {
  varType: string;
  varName: string;
  /** Where the event goes on the gateway's side; default `control` (the legacy CONTROL_EVENT_CHANNEL). */
  channel?: string;
}

/**
 * A regex on the topic and the events a matching message becomes. An empty dispatch list blocks the
 * topic. The legacy tuple form `[regex, [[varType, varName, channel?], …]]` is accepted too.
 */
export type InboundRule =
  | { regex: string | RegExp; dispatch: readonly InboundDispatch[] }
  | readonly [string | RegExp, readonly (readonly [string, string, string?])[]];

export interface RegexInboundFilterOptions {
  /** Topics whose rule outcome is remembered (bounded, least recently used out). Default 1,024. */
  cacheSize?: number;
  /** Clock for event timestamps (events are dated on arrival, as the legacy connector did). */
  now?: () => number;
  /** Payload → event value and extra meta. Default: the JSON value, or the UTF-8 text when not JSON. */
  decode?: (payload: Buffer, topic: string) => { value: unknown; meta?: Record<string, unknown> };
  /** Channel for dispatch entries without one. Default `control`. */
  defaultChannel?: string;
}

interface CompiledDispatch {
  varType: RuleTemplate;
  varName: RuleTemplate;
  channel: string;
}

interface CompiledRule {
  regex: RegExp;
  dispatch: CompiledDispatch[];
}

interface ResolvedDispatch {
  varType: string;
  varName: string;
  channel: string;
}

function normalizeRule(rule: unknown): { regex: unknown; dispatch: unknown } {
  if (Array.isArray(rule)) {
    const [regex, dispatch] = rule as unknown[];
    return {
      regex,
      dispatch: Array.isArray(dispatch)
        ? dispatch.map((d) =>
            Array.isArray(d)
              ? { varType: d[0], varName: d[1], ...(d[2] === undefined ? {} : { channel: d[2] }) }
              : d,
          )
        : dispatch,
    };
  }
  if (rule !== null && typeof rule === 'object') {
    const r = rule as Record<string, unknown>;
    return { regex: r['regex'], dispatch: r['dispatch'] };
  }
  return { regex: undefined, dispatch: undefined };
}

/**
 * The legacy CSTBox REInboundFilter: the first rule whose regex matches the topic decides; its dispatch
 * list gives the events (named groups fill `{placeholders}` in varType/varName); an empty list blocks
 * the topic; no matching rule refuses the message. Construction fails on an invalid regex, a dispatch
 * entry without varType/varName, or a placeholder the regex does not capture, naming the rule index.
 */
export class RegexInboundFilter implements InboundFilter {
  readonly #rules: CompiledRule[];
  readonly #cache: LruCache<string, ResolvedDispatch[]>;
  readonly #now: () => number;
  readonly #decode: NonNullable<RegexInboundFilterOptions['decode']>;

  constructor(rules: readonly InboundRule[], options: RegexInboundFilterOptions = {}) {
    const defaultChannel = options.defaultChannel ?? 'control';
    this.#rules = rules.map((raw, index) => {
      const where = `inbound filter rule ${index}`;
      const { regex: pattern, dispatch } = normalizeRule(raw);
      const regex = compileRuleRegex(pattern, where);
      const groups = namedGroups(regex);
      if (!Array.isArray(dispatch)) {
        throw ruleError(where, 'the dispatch list must be an array (empty to block the topic)');
      }
      return {
        regex,
        dispatch: dispatch.map((d: unknown, j: number) => {
          const entry = (d ?? {}) as Record<string, unknown>;
          const at = `${where}, dispatch ${j}`;
          const channel = entry['channel'] ?? defaultChannel;
          if (typeof channel !== 'string' || channel === '') {
            throw ruleError(at, 'channel must be a non-empty string');
          }
          return {
            varType: compileTemplate(entry['varType'], groups, at, 'varType'),
            varName: compileTemplate(entry['varName'], groups, at, 'varName'),
            channel,
          };
        }),
      };
    });
    this.#cache = new LruCache(options.cacheSize ?? 1024);
    this.#now = options.now ?? Date.now;
    this.#decode = options.decode ?? ((payload) => ({ value: decodeEventValue(payload) }));
  }

  /** How many keys the bounded cache holds now. */
  get cached(): number {
    return this.#cache.size;
  }

  accept(topic: string, payload: Buffer): readonly GatewayEvent[] {
    const resolved = this.#resolve(topic);
    if (resolved.length === 0) return [];
    const decoded = this.#decode(payload, topic);
    const timestamp = this.#now();
    return resolved.map((d) => ({
      varType: d.varType,
      varName: d.varName,
      value: decoded.value,
      timestamp,
      meta: { ...decoded.meta, channel: d.channel, topic },
    }));
  }

  #resolve(topic: string): ResolvedDispatch[] {
    const cached = this.#cache.get(topic);
    if (cached) return cached;
    let resolved: ResolvedDispatch[] = [];
    for (const rule of this.#rules) {
      const m = rule.regex.exec(topic);
      if (!m) continue;
      const groups = m.groups ?? {};
      resolved = rule.dispatch.map((d) => ({
        varType: renderTemplate(d.varType, groups),
        varName: renderTemplate(d.varName, groups),
        channel: d.channel,
      }));
      break;
    }
    this.#cache.set(topic, resolved);
    return resolved;
  }
}
