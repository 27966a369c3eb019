/**
 * MQTT topic name and topic filter rules (MQTT 3.1.1 §4.7, MQTT 5 §4.7).
 * Pure functions: they return a reason string for a bad input instead of throwing.
 */

const MAX_TOPIC_BYTES = 65_535;

/** Why `topic` is not a valid topic name to publish to, or null when it is. */
export function topicNameProblem(topic: string): string | null {
  if (topic.length === 0) return 'a topic name may not be empty';
  if (Buffer.byteLength(topic, 'utf8') > MAX_TOPIC_BYTES) return 'a topic name may not exceed 65535 bytes';
  if (topic.includes('\u0000')) return 'a topic name may not contain NUL';
  if (topic.includes('+') || topic.includes('#')) return 'a topic name may not contain the wildcards + or #';
  return null;
}

/** Why `filter` is not a valid topic filter to subscribe to, or null when it is. */
export function topicFilterProblem(filter: string): string | null {
  if (filter.length === 0) return 'a topic filter may not be empty';
  if (Buffer.byteLength(filter, 'utf8') > MAX_TOPIC_BYTES) return 'a topic filter may not exceed 65535 bytes';
  if (filter.includes('\u0000')) return 'a topic filter may not contain NUL';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as string;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return `'#' must be the whole last level (level ${i + 1} is '${level}')`;
    }
    if (level.includes('+') && level !== '+') {
      return `'+' must occupy a whole level (level ${i + 1} is '${level}')`;
    }
  }
  return null;
}

/** Splits a shared subscription `$share/<group>/<filter>` into its parts, or returns null. */
export function parseSharedFilter(filter: string): { group: string; filter: string } | null {
  if (!filter.startsWith('$share/')) return null;
  const rest = filter.slice('$share/'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  return { group: rest.slice(0, slash), filter: rest.slice(slash + 1) };
}

/**
 * Whether `topic` matches `filter` by the MQTT rules, including: `#` matches the parent level too
 * (`a/#` matches `a`), and topics starting with `$` are not matched by a leading `+` or `#`.
 */
export function topicMatchesFilter(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === '#') return true;
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}
