import { ConnectorError } from './connector-error.js';

/**
 * Regex rules with `{group}` templates, shared by the regex inbound and outbound filters. Compiling
 * checks everything that can be checked up front, so a bad rule fails at construction, never on traffic.
 */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'group'; name: string };

export interface RuleTemplate {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
}

const PLACEHOLDER = /\{([A-Za-z_$][\w$]*)\}/g;

/** A construction error naming the rule (`inbound filter rule 2: …`). */
export function ruleError(where: string, message: string, cause?: unknown): ConnectorError {
  return new ConnectorError('MQTT_ERR_FILTER_RULE', `${where}: ${message}`, cause ? { cause } : undefined);
}

/**
 * Compiles a rule's regex. A RegExp keeps its flags except the stateful `g` and `y`; a string is
 * compiled without flags. Matching is `RegExp.exec` (unanchored: write `^…$` to match a whole topic).
 */
export function compileRuleRegex(pattern: unknown, where: string): RegExp {
  if (pattern instanceof RegExp) return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw ruleError(where, 'the regex must be a non-empty string or a RegExp');
  }
  try {
    return new RegExp(pattern);
  } catch (cause) {
    throw ruleError(where, `invalid regex ${JSON.stringify(pattern)}: ${(cause as Error).message}`, cause);
  }
}

/** The names of the named capture groups of `regex`. */
export function namedGroups(regex: RegExp): ReadonlySet<string> {
  // An alternative that always matches the empty string: exec('') then lists every group name.
  const probe = new RegExp(`(?:${regex.source})|`, regex.flags);
  return new Set(Object.keys(probe.exec('')?.groups ?? {}));
}

/**
 * Parses `template` into text and `{group}` placeholders; every placeholder must name a named group of
 * the rule's regex. Braces that do not form a placeholder are kept as text.
 */
export function compileTemplate(
  template: unknown,
  groups: ReadonlySet<string>,
  where: string,
  label: string,
): RuleTemplate {
  if (typeof template !== 'string' || template.length === 0) {
    throw ruleError(where, `${label} must be a non-empty string`);
  }
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] as string;
    if (!groups.has(name)) {
      const known = groups.size ? [...groups].join(', ') : 'none';
      throw ruleError(
        where,
        `${label} ${JSON.stringify(template)} uses {${name}}, which the regex does not capture as a named group (named groups: ${known})`,
      );
    }
    if (m.index > last) parts.push({ kind: 'text', text: template.slice(last, m.index) });
    parts.push({ kind: 'group', name });
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push({ kind: 'text', text: template.slice(last) });
  return { source: template, parts };
}

/** Fills a template from a match's named groups; a group that did not participate gives ''. */
export function renderTemplate(template: RuleTemplate, groups: Readonly<Record<string, string | undefined>>) {
  let out = '';
  for (const part of template.parts) out += part.kind === 'text' ? part.text : (groups[part.name] ?? '');
  return out;
}
