class TrieNode<T> {
  children: Map<string, TrieNode<T>> | undefined;
  plus: TrieNode<T> | undefined;
  /** Values whose filter ends in `#` right below this node (they also match this node's own level). */
  hash: T[] | undefined;
  /** Values whose filter ends exactly here. */
  values: T[] | undefined;

  isEmpty(): boolean {
    return !this.children?.size && !this.plus && !this.hash?.length && !this.values?.length;
  }
}

function addTo<T>(list: T[] | undefined, value: T): { list: T[]; added: boolean } {
  if (!list) return { list: [value], added: true };
  if (list.includes(value)) return { list, added: false };
  list.push(value);
  return { list, added: true };
}

function removeFrom<T>(list: T[] | undefined, value: T): boolean {
  const i = list?.indexOf(value) ?? -1;
  if (i < 0 || !list) return false;
  list.splice(i, 1);
  return true;
}

function hasWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}

/**
 * MQTT topic filters (`+`, `#`) → values, matched in time proportional to the topic's depth, not to the
 * number of filters. Follows MQTT 5 §4.7: `a/#` also matches `a`, `+` matches an empty level, and a
 * topic starting with `$` is not matched by a filter starting with `+` or `#`. Filters without
 * wildcards (the common per-device flow) sit in one hash map: one lookup, whatever their number.
 * Pure: no I/O; filters are expected to be valid (`topicFilterProblem` from @iotgw/contracts).
 */
export class TopicTrie<T> {
  readonly #exact = new Map<string, T[]>();
  readonly #root = new TrieNode<T>();
  #wildcards = 0;
  #size = 0;
  /** How many filters each value is stored under: only a value under two can be matched twice. */
  readonly #filtersPerValue = new Map<T, number>();
  #shared = 0;

  /** Number of (filter, value) pairs. */
  get size(): number {
    return this.#size;
  }

  add(filter: string, value: T): void {
    if (!hasWildcard(filter)) {
      const r = addTo(this.#exact.get(filter), value);
      this.#exact.set(filter, r.list);
      if (r.added) this.#added(value);
      return;
    }
    let node = this.#root;
    const levels = filter.split('/');
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i] as string;
      if (level === '#' && i === levels.length - 1) {
        const r = addTo(node.hash, value);
        node.hash = r.list;
        if (r.added) {
          this.#added(value);
          this.#wildcards++;
        }
        return;
      }
      if (level === '+') {
        node.plus ??= new TrieNode();
        node = node.plus;
      } else {
        node.children ??= new Map();
        let child = node.children.get(level);
        if (!child) {
          child = new TrieNode();
          node.children.set(level, child);
        }
        node = child;
      }
    }
    const r = addTo(node.values, value);
    node.values = r.list;
    if (r.added) {
      this.#added(value);
      this.#wildcards++;
    }
  }

  #added(value: T): void {
    this.#size++;
    const n = (this.#filtersPerValue.get(value) ?? 0) + 1;
    this.#filtersPerValue.set(value, n);
    if (n === 2) this.#shared++;
  }

  #removed(value: T): void {
    this.#size--;
    const n = (this.#filtersPerValue.get(value) ?? 1) - 1;
    if (n === 0) this.#filtersPerValue.delete(value);
    else this.#filtersPerValue.set(value, n);
    if (n === 1) this.#shared--;
  }

  /** Removes one (filter, value) pair; returns whether it was there. Empty branches are pruned. */
  remove(filter: string, value: T): boolean {
    if (!hasWildcard(filter)) {
      const list = this.#exact.get(filter);
      if (!removeFrom(list, value)) return false;
      if (list?.length === 0) this.#exact.delete(filter);
      this.#removed(value);
      return true;
    }
    const levels = filter.split('/');
    const path: Array<[TrieNode<T>, string]> = [];
    let node = this.#root;
    let removed = false;
    for (let i = 0; i < levels.length; i++) {
      const level = levels[i] as string;
      if (level === '#' && i === levels.length - 1) {
        removed = removeFrom(node.hash, value);
        break;
      }
      const next = level === '+' ? node.plus : node.children?.get(level);
      if (!next) return false;
      path.push([node, level]);
      node = next;
      if (i === levels.length - 1) removed = removeFrom(node.values, value);
    }
    if (!removed) return false;
    this.#removed(value);
    this.#wildcards--;
    for (let i = path.length - 1; i >= 0; i--) {
      const [parent, level] = path[i] as [TrieNode<T>, string];
      const child = level === '+' ? parent.plus : parent.children?.get(level);
      if (!child?.isEmpty()) break;
      if (level === '+') parent.plus = undefined;
      else parent.children?.delete(level);
    }
    return true;
  }

  /** Every value whose filter matches `topic` (a topic name, no wildcards). */
  match(topic: string): T[] {
    const exact = this.#exact.get(topic);
    if (this.#wildcards === 0) return exact ? [...exact] : [];
    const out: T[] = exact ? [...exact] : [];
    this.#walk(this.#root, topic.split('/'), 0, topic.charCodeAt(0) === 36 /* $ */, out);
    return this.#shared > 0 && out.length > 1 ? [...new Set(out)] : out;
  }

  #walk(node: TrieNode<T>, levels: readonly string[], i: number, dollar: boolean, out: T[]): void {
    const wildcardsAllowed = !(dollar && i === 0);
    if (node.hash && wildcardsAllowed) for (const v of node.hash) out.push(v);
    if (i === levels.length) {
      if (node.values) for (const v of node.values) out.push(v);
      return;
    }
    const child = node.children?.get(levels[i] as string);
    if (child) this.#walk(child, levels, i + 1, dollar, out);
    if (node.plus && wildcardsAllowed) this.#walk(node.plus, levels, i + 1, dollar, out);
  }

  /**
   * Every value whose filter covers `filter`: matches every topic that `filter` matches (a filter covers
   * itself). Used to subscribe only to filters no other filter already covers.
   */
  covering(filter: string): T[] {
    // A filter without wildcards covers only itself.
    const out: T[] = hasWildcard(filter) ? [] : [...(this.#exact.get(filter) ?? [])];
    const levels = filter.split('/');
    this.#cover(this.#root, levels, 0, out);
    return out.length > 1 ? [...new Set(out)] : out;
  }

  #cover(node: TrieNode<T>, levels: readonly string[], i: number, out: T[]): void {
    const level = levels[i];
    // A leading wildcard never matches $-topics, so it covers nothing that starts with a literal `$…`.
    const wildcardsCover = !(
      i === 0 &&
      level !== undefined &&
      level !== '+' &&
      level !== '#' &&
      level.startsWith('$')
    );
    if (node.hash && wildcardsCover) for (const v of node.hash) out.push(v);
    if (level === undefined) {
      if (node.values) for (const v of node.values) out.push(v);
      return;
    }
    if (level === '#') return; // only a `#` covers a `#`, handled above
    if (node.plus && wildcardsCover) this.#cover(node.plus, levels, i + 1, out);
    if (level !== '+') {
      const child = node.children?.get(level);
      if (child) this.#cover(child, levels, i + 1, out);
    }
  }
}

/**
 * The smallest set of filters that receives every topic any of `filters` matches: drops duplicates and
 * filters another one covers (`a/+` when `a/#` is there), so the broker sends one copy, not two.
 */
export function minimalFilterSet(filters: Iterable<string>): string[] {
  const unique = [...new Set(filters)];
  const trie = new TopicTrie<string>();
  for (const f of unique) trie.add(f, f);
  // Two different filters can cover each other (`#` and `+/#`): then the smaller string is kept.
  const redundant = (f: string) =>
    trie.covering(f).some((g) => g !== f && (g < f || !trie.covering(g).includes(f)));
  return unique.filter((f) => !redundant(f)).sort();
}
