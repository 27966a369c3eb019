// Every rule of the regex filters (issue 5, item 3), including the construction errors.
import {
  DenyAllOutboundFilter,
  RefuseAllInboundFilter,
  RegexInboundFilter,
  RegexOutboundFilter,
} from '@iotgw/mqtt-connector';
import { describe, expect, it } from 'vitest';

const payload = (s: string) => Buffer.from(s, 'utf8');
const now = () => 1_764_064_800_000;
const event = (varType: string, varName: string) => ({ varType, varName, value: 1, timestamp: now() });

describe('default filters', () => {
  it('the default inbound filter refuses everything and the default outbound filter allows nothing', () => {
    expect(new RefuseAllInboundFilter().accept('any/topic', payload('1'))).toEqual([]);
    expect(new DenyAllOutboundFilter().topicFor(event('temperature', 'x'))).toBeNull();
  });
});

describe('RegexInboundFilter', () => {
  it('a matching rule dispatches one event per entry, dated on arrival, on the given or default channel', () => {
    const filter = new RegexInboundFilter(
      [
        {
          regex: '^home/(?<room>[^/]+)/climate$',
          dispatch: [
            { varType: 'temperature', varName: '{room}.t' },
            { varType: 'humidity', varName: '{room}.h', channel: 'sensor' },
          ],
        },
      ],
      { now },
    );
    expect(filter.accept('home/kitchen/climate', payload('{"t":21.5}'))).toEqual([
      {
        varType: 'temperature',
        varName: 'kitchen.t',
        value: { t: 21.5 },
        timestamp: now(),
        meta: { channel: 'control', topic: 'home/kitchen/climate' },
      },
      {
        varType: 'humidity',
        varName: 'kitchen.h',
        value: { t: 21.5 },
        timestamp: now(),
        meta: { channel: 'sensor', topic: 'home/kitchen/climate' },
      },
    ]);
  });

  it('named groups fill varType and varName templates; a payload that is not JSON is kept as text', () => {
    const filter = new RegexInboundFilter([
      [/^(?<gw>[^/]+)\/(?<mac>[0-9A-F]{12})\/(?<kind>\w+)$/i, [['thingy.{kind}', '{gw}:{mac}']]],
    ]);
    const [e] = filter.accept('gw1/C1A2B3C4D5E6/update', payload('not json'));
    expect(e).toMatchObject({ varType: 'thingy.update', varName: 'gw1:C1A2B3C4D5E6', value: 'not json' });
  });

  it('an empty dispatch list blocks the topic; the first matching rule wins; no match refuses', () => {
    const filter = new RegexInboundFilter([
      { regex: '^sensors/debug/', dispatch: [] },
      { regex: '^sensors/(?<name>.+)$', dispatch: [{ varType: 'reading', varName: '{name}' }] },
      { regex: '^sensors/', dispatch: [{ varType: 'never', varName: 'reached' }] },
    ]);
    expect(filter.accept('sensors/debug/x', payload('1'))).toEqual([]);
    expect(filter.accept('sensors/a/b', payload('1')).map((e) => e.varType)).toEqual(['reading']);
    expect(filter.accept('elsewhere', payload('1'))).toEqual([]);
  });

  it('a custom decode gives the value and extra meta', () => {
    const filter = new RegexInboundFilter([{ regex: '^x$', dispatch: [{ varType: 't', varName: 'n' }] }], {
      decode: (p) => ({ value: Number(p.toString()) * 2, meta: { unit: 'C' } }),
    });
    expect(filter.accept('x', payload('21'))[0]).toMatchObject({
      value: 42,
      meta: { unit: 'C', topic: 'x' },
    });
  });

  it('remembers rule outcomes per topic in a bounded cache', () => {
    const filter = new RegexInboundFilter(
      [{ regex: '^t/(?<n>\\d+)$', dispatch: [{ varType: 'v', varName: 'n{n}' }] }],
      { cacheSize: 2 },
    );
    for (let i = 0; i < 5; i++) expect(filter.accept(`t/${i}`, payload('1'))[0]?.varName).toBe(`n${i}`);
    expect(filter.cached).toBe(2);
    expect(filter.accept('t/0', payload('1'))[0]?.varName).toBe('n0');
  });

  it('construction fails on an invalid regex, naming the rule index', () => {
    expect(
      () =>
        new RegexInboundFilter([
          { regex: '^ok$', dispatch: [] },
          { regex: '^(unclosed', dispatch: [] },
        ]),
    ).toThrow(
      expect.objectContaining({
        code: 'MQTT_ERR_FILTER_RULE',
        message: expect.stringMatching(/^inbound filter rule 1: invalid regex "\^\(unclosed"/),
      }),
    );
  });

  it('construction fails on a placeholder the regex does not capture, naming rule and dispatch entry', () => {
    expect(
      () =>
        new RegexInboundFilter([
          { regex: '^(?<room>\\w+)/(\\w+)$', dispatch: [{ varType: 't', varName: '{room}.{kind}' }] },
        ]),
    ).toThrow(
      /inbound filter rule 0, dispatch 0: varName "\{room\}\.\{kind\}" uses \{kind\}, which the regex does not capture as a named group \(named groups: room\)/,
    );
    expect(
      () => new RegexInboundFilter([{ regex: '^x$', dispatch: [{ varType: '{a}', varName: 'n' }] }]),
    ).toThrow(/named groups: none/);
  });

  it('construction fails on a malformed rule', () => {
    expect(() => new RegexInboundFilter([{ regex: '', dispatch: [] }])).toThrow(
      /rule 0: the regex must be a non-empty/,
    );
    expect(() => new RegexInboundFilter([{ regex: 'x', dispatch: 'nope' } as never])).toThrow(
      /rule 0: the dispatch list/,
    );
    expect(() => new RegexInboundFilter([{ regex: 'x', dispatch: [{ varType: 't' }] } as never])).toThrow(
      /rule 0, dispatch 0: varName must be a non-empty string/,
    );
  });
});

describe('RegexOutboundFilter', () => {
  it('matches varType:varName and fills the topic template from named groups', () => {
    const filter = new RegexOutboundFilter([
      { regex: '^(?<type>temperature|humidity):(?<room>\\w+)$', topic: 'home/{room}/{type}' },
    ]);
    expect(filter.topicFor(event('temperature', 'kitchen'))).toBe('home/kitchen/temperature');
    expect(filter.topicFor(event('pressure', 'kitchen'))).toBeNull();
  });

  it('the first matching rule wins; a rule without placeholders gives a fixed topic', () => {
    const filter = new RegexOutboundFilter([
      ['^alarm:', 'alarms/all'],
      ['^(?<t>\\w+):(?<n>\\w+)$', 'data/{t}/{n}'],
    ]);
    expect(filter.topicFor(event('alarm', 'door'))).toBe('alarms/all');
    expect(filter.topicFor(event('temp', 'door'))).toBe('data/temp/door');
  });

  it('caches results per varType:varName in a bounded cache, refusals included', () => {
    const filter = new RegexOutboundFilter([['^ok:(?<n>\\d+)$', 'out/{n}']], { cacheSize: 3 });
    for (let i = 0; i < 10; i++) {
      expect(filter.topicFor(event('ok', String(i)))).toBe(`out/${i}`);
      expect(filter.topicFor(event('no', String(i)))).toBeNull();
    }
    expect(filter.cached).toBe(3);
    expect(filter.topicFor(event('ok', '1'))).toBe('out/1');
  });

  it('construction fails on an invalid regex, naming the rule index', () => {
    expect(
      () =>
        new RegexOutboundFilter([
          ['^a$', 'a'],
          ['^b$', 'b'],
          ['[z-a]', 'c'],
        ]),
    ).toThrow(
      expect.objectContaining({
        code: 'MQTT_ERR_FILTER_RULE',
        message: expect.stringMatching(/^outbound filter rule 2: invalid regex/),
      }),
    );
  });

  it('construction fails on a placeholder the regex does not capture', () => {
    expect(
      () => new RegexOutboundFilter([{ regex: '^(?<type>\\w+):(\\w+)$', topic: 'x/{type}/{name}' }]),
    ).toThrow(
      /outbound filter rule 0: topic template "x\/\{type\}\/\{name\}" uses \{name\}, which the regex does not capture as a named group \(named groups: type\)/,
    );
  });

  it('construction fails on a topic template holding MQTT wildcards', () => {
    expect(() => new RegexOutboundFilter([['^a$', 'x/+/y']])).toThrow(
      /outbound filter rule 0: topic template "x\/\+\/y": a topic name may not contain the wildcards/,
    );
  });
});
