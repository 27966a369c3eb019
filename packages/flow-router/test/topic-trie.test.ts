import { topicFilterProblem, topicMatchesFilter } from '@iotgw/contracts';
import { minimalFilterSet, TopicTrie } from '@iotgw/flow-router';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const level = fc.constantFrom('a', 'b', 'c', '', '$SYS', '$x');
const topicArb = fc.array(level, { minLength: 1, maxLength: 4 }).map((l) => l.join('/'));
const filterArb = fc
  .array(fc.constantFrom('a', 'b', '', '$SYS', '+'), { minLength: 1, maxLength: 4 })
  .chain((levels) => fc.boolean().map((hash) => (hash ? [...levels, '#'] : levels).join('/')))
  .filter((f) => topicFilterProblem(f) === null);
const anyFilterArb = fc.oneof(filterArb, fc.constant('#'), fc.constant('+'), fc.constant('+/#'));

describe('TopicTrie', () => {
  it('matches the MQTT rules: + one level, # any levels including the parent, $-topics not by leading wildcards', () => {
    const t = new TopicTrie<string>();
    for (const f of ['a/+/c', 'a/#', '#', '+/b/c', '$SYS/#', 'a/b/c', 'a//c']) t.add(f, f);
    expect(t.match('a/b/c').sort()).toEqual(['#', '+/b/c', 'a/#', 'a/+/c', 'a/b/c']);
    expect(t.match('a').sort()).toEqual(['#', 'a/#']);
    expect(t.match('a//c').sort()).toEqual(['#', 'a/#', 'a/+/c', 'a//c']);
    expect(t.match('$SYS/broker/load')).toEqual(['$SYS/#']);
    expect(t.match('$SYS')).toEqual(['$SYS/#']);
    expect(t.match('x/b/c').sort()).toEqual(['#', '+/b/c']);
  });

  it('agrees with topicMatchesFilter on arbitrary filters and topics', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyFilterArb, { maxLength: 12 }), topicArb, (filters, topic) => {
        const t = new TopicTrie<string>();
        for (const f of filters) t.add(f, f);
        const expected = filters.filter((f) => topicMatchesFilter(f, topic)).sort();
        expect(t.match(topic).sort()).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('removes pairs and prunes empty branches; one value under two filters matches once', () => {
    const t = new TopicTrie<number>();
    t.add('a/+', 1);
    t.add('a/#', 1);
    t.add('a/b', 2);
    expect(t.match('a/b').sort()).toEqual([1, 2]);
    expect(t.size).toBe(3);
    expect(t.remove('a/+', 1)).toBe(true);
    expect(t.remove('a/+', 1)).toBe(false);
    expect(t.remove('x/y', 1)).toBe(false);
    expect(t.remove('a/#', 1)).toBe(true);
    expect(t.match('a/b')).toEqual([2]);
    expect(t.size).toBe(1);
  });

  it('covering(f) finds exactly the filters that match every topic f matches', () => {
    const universe = fc.sample(topicArb, 300);
    fc.assert(
      fc.property(fc.uniqueArray(anyFilterArb, { maxLength: 8 }), anyFilterArb, (filters, f) => {
        const t = new TopicTrie<string>();
        for (const g of filters) t.add(g, g);
        const topics = universe.filter((topic) => topicMatchesFilter(f, topic));
        for (const g of t.covering(f)) {
          for (const topic of topics)
            expect(topicMatchesFilter(g, topic), `${g} covers ${f} but misses ${topic}`).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('minimalFilterSet drops covered filters and keeps every topic received', () => {
    expect(minimalFilterSet(['a/+', 'a/#', 'a/b', 'c/d', 'c/d'])).toEqual(['a/#', 'c/d']);
    expect(minimalFilterSet(['#', '+/#', '$SYS/#'])).toEqual(['#', '$SYS/#']);
    expect(minimalFilterSet(['a/+/c', '+/b/c'])).toEqual(['+/b/c', 'a/+/c']);
    const universe = fc.sample(topicArb, 300);
    fc.assert(
      fc.property(fc.array(anyFilterArb, { maxLength: 10 }), (filters) => {
        const kept = minimalFilterSet(filters);
        for (const topic of universe) {
          const wanted = filters.some((f) => topicMatchesFilter(f, topic));
          expect(kept.some((f) => topicMatchesFilter(f, topic))).toBe(wanted);
        }
      }),
      { numRuns: 500 },
    );
  });
});
