import type { CompiledFlow } from '../flows/compile-flow.js';
import { minimalFilterSet, TopicTrie } from '../matching/topic-trie.js';

/** An immutable snapshot of the active flows and their topic trie; a reload swaps in a new one. */
export class FlowSet {
  readonly #byId: ReadonlyMap<number, CompiledFlow>;
  readonly #trie = new TopicTrie<CompiledFlow>();
  readonly filters: readonly string[];

  constructor(flows: Iterable<CompiledFlow>) {
    const byId = new Map<number, CompiledFlow>();
    for (const f of flows) {
      byId.set(f.id, f);
      this.#trie.add(f.topic, f);
    }
    this.#byId = byId;
    this.filters = Object.freeze(minimalFilterSet([...byId.values()].map((f) => f.topic)));
  }

  static readonly empty = new FlowSet([]);

  get size(): number {
    return this.#byId.size;
  }

  get(id: number): CompiledFlow | undefined {
    return this.#byId.get(id);
  }

  all(): IterableIterator<CompiledFlow> {
    return this.#byId.values();
  }

  /** Flows whose topic filter matches `topic`. */
  match(topic: string): CompiledFlow[] {
    return this.#trie.match(topic);
  }
}
