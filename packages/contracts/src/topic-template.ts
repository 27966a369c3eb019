/**
 * A topic template such as `v2/{gatewayId}/{manufacturerKey}-{deviceId}/data`: builds topics from
 * parameters, matches topics back to parameters, and derives the subscription filter.
 */

export type TopicParams<K extends string> = { readonly [P in K]: string };

/** Thrown by `build()` for a parameter that would put the message on the wrong topic. */
export class TopicParamError extends Error {
  readonly code = 'TOPIC_ERR_PARAM';
  constructor(
    readonly template: string,
    readonly param: string,
    readonly reason: string,
  ) {
    super(`topic ${template}: parameter '${param}' ${reason}`);
    this.name = 'TopicParamError';
  }
}

type Part = { kind: 'literal'; text: string } | { kind: 'param'; name: string };

interface Segment {
  parts: Part[];
  /** For a compound segment (`{a}-{b}`): the literal that must not appear inside each parameter. */
  forbidden: Map<string, string>;
  regex: RegExp | null;
}

export interface TopicTemplate<K extends string> {
  readonly template: string;
  readonly params: readonly K[];
  /** The MQTT subscription filter: every segment holding a parameter becomes `+`. */
  readonly filter: string;
  build(params: TopicParams<K>): string;
  match(topic: string): TopicParams<K> | null;
  /** Why `value` cannot be used as parameter `name`, or null when it can. */
  paramProblem(name: K, value: string): string | null;
}

function parseSegment(segment: string, template: string): Segment {
  const parts: Part[] = [];
  const re = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
  let last = 0;
  for (let m = re.exec(segment); m !== null; m = re.exec(segment)) {
    if (m.index > last) parts.push({ kind: 'literal', text: segment.slice(last, m.index) });
    parts.push({ kind: 'param', name: m[1] as string });
    last = m.index + m[0].length;
  }
  if (last < segment.length) parts.push({ kind: 'literal', text: segment.slice(last) });
  if (
    /[{}+#]/.test(
      parts
        .filter((p) => p.kind === 'literal')
        .map((p) => (p as { text: string }).text)
        .join(''),
    )
  ) {
    throw new Error(`topic template ${template}: malformed segment '${segment}'`);
  }
  const forbidden = new Map<string, string>();
  const hasParam = parts.some((p) => p.kind === 'param');
  let regex: RegExp | null = null;
  if (hasParam) {
    let source = '^';
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as Part;
      if (part.kind === 'literal') {
        source += part.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      } else {
        const next = parts[i + 1];
        if (next?.kind === 'param') {
          throw new Error(
            `topic template ${template}: parameters must be separated by a literal in '${segment}'`,
          );
        }
        if (next?.kind === 'literal') forbidden.set(part.name, next.text);
        source += next ? '(.+?)' : '(.+)';
      }
    }
    regex = new RegExp(`${source}$`, 's');
  }
  return { parts, forbidden, regex };
}

export function topicTemplate<const K extends string>(template: string): TopicTemplate<K> {
  const segments = template.split('/').map((s) => parseSegment(s, template));
  const params: K[] = [];
  for (const segment of segments) {
    for (const part of segment.parts) {
      if (part.kind === 'param') {
        if (params.includes(part.name as K)) {
          throw new Error(`topic template ${template}: parameter '${part.name}' appears twice`);
        }
        params.push(part.name as K);
      }
    }
  }
  const filter = segments
    .map((s) => (s.regex ? '+' : s.parts.map((p) => (p as { text: string }).text).join('')))
    .join('/');
  const forbiddenFor = new Map<string, string>();
  for (const s of segments) for (const [k, v] of s.forbidden) forbiddenFor.set(k, v);

  function paramProblem(name: K, value: string): string | null {
    if (typeof value !== 'string') return 'must be a string';
    if (value.length === 0) return 'may not be empty';
    if (value.includes('/')) return `may not contain '/' (got ${JSON.stringify(value)})`;
    if (value.includes('+')) return `may not contain '+' (got ${JSON.stringify(value)})`;
    if (value.includes('#')) return `may not contain '#' (got ${JSON.stringify(value)})`;
    if (value.includes('\u0000')) return 'may not contain NUL';
    const sep = forbiddenFor.get(name);
    if (sep && value.includes(sep)) return `may not contain '${sep}' (got ${JSON.stringify(value)})`;
    return null;
  }

  return {
    template,
    params,
    filter,
    paramProblem,
    build(values) {
      let out = '';
      for (let i = 0; i < segments.length; i++) {
        if (i > 0) out += '/';
        for (const part of (segments[i] as Segment).parts) {
          if (part.kind === 'literal') {
            out += part.text;
            continue;
          }
          const value = (values as Record<string, unknown>)[part.name];
          if (typeof value !== 'string') throw new TopicParamError(template, part.name, 'is missing');
          const problem = paramProblem(part.name as K, value);
          if (problem) throw new TopicParamError(template, part.name, problem);
          out += value;
        }
      }
      return out;
    },
    match(topic) {
      const levels = topic.split('/');
      if (levels.length !== segments.length) return null;
      const out: Record<string, string> = {};
      for (let i = 0; i < segments.length; i++) {
        const segment = segments[i] as Segment;
        const level = levels[i] as string;
        if (!segment.regex) {
          if (
            (segment.parts[0] as { text: string } | undefined)?.text !== level &&
            !(segment.parts.length === 0 && level === '')
          )
            return null;
          continue;
        }
        const m = segment.regex.exec(level);
        if (!m) return null;
        let g = 1;
        for (const part of segment.parts) {
          if (part.kind !== 'param') continue;
          const value = m[g++] as string;
          if (paramProblem(part.name as K, value)) return null;
          out[part.name] = value;
        }
      }
      return out as TopicParams<K>;
    },
  };
}
