import { topicNameProblem } from '@iotgw/contracts';
import type { GatewayEvent, OutboundFilter } from './gateway-event.js';
import { LruCache } from './lru-cache.js';
import {
  compileRuleRegex,
  compileTemplate,
  namedGroups,
  type RuleTemplate,
  renderTemplate,
  ruleError,
} from './rule-template.js';

/**
 * A regex on `varType:varName` and the topic template (`{group}` placeholders) a matching event is
 * published on. The legacy tuple form `[regex, topic]` is accepted too.
 */
export type OutboundRule = { regex: string | RegExp; topic: string } | readonly [string | RegExp, string];

export interface RegexOutboundFilterOptions {
  /** `varType:varName` keys whose topic (or refusal) is remembered, least recently used out. Default 1,024. */
  cacheSize?: number;
}

interface CompiledRule {
  regex: RegExp;
  topic: RuleTemplate;
}

/**
 * The legacy CSTBox REOutboundFilter: rules are tried in order against `varType:varName`; the first
 * match gives the topic, filled from its named groups; no match means the event may not leave. Results
 * are cached per key in a bounded cache. Construction fails on an invalid regex, a topic template
 * holding MQTT wildcards, or a placeholder the regex does not capture, naming the rule index.
 */
export class RegexOutboundFilter implements OutboundFilter {
  readonly #rules: CompiledRule[];
  readonly #cache: LruCache<string, string | null>;

  constructor(rules: readonly OutboundRule[], options: RegexOutboundFilterOptions = {}) {
    this.#rules = rules.map((raw, index) => {
      const where = `outbound filter rule ${index}`;
      const [pattern, template] = Array.isArray(raw)
        ? [raw[0], raw[1]]
        : raw !== null && typeof raw === 'object'
          ? [(raw as { regex?: unknown }).regex, (raw as { topic?: unknown }).topic]
          : [undefined, undefined];
      const regex = compileRuleRegex(pattern, where);
      const topic = compileTemplate(template, namedGroups(regex), where, 'topic template');
      const sample = topic.parts.map((p) => (p.kind === 'text' ? p.text : 'x')).join('');
      const problem = topicNameProblem(sample);
      if (problem) throw ruleError(where, `topic template ${JSON.stringify(template)}: ${problem}`);
      return { regex, topic };
    });
    this.#cache = new LruCache(options.cacheSize ?? 1024);
  }

  /** How many keys the bounded cache holds now. */
  get cached(): number {
    return this.#cache.size;
  }

  topicFor(event: GatewayEvent): string | null {
    const key = `${event.varType}:${event.varName}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined) return cached;
    let topic: string | null = null;
    for (const rule of this.#rules) {
      const m = rule.regex.exec(key);
      if (!m) continue;
      topic = renderTemplate(rule.topic, m.groups ?? {});
      break;
    }
    this.#cache.set(key, topic);
    return topic;
  }
}
