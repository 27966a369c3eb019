import {
  parseSharedFilter,
  topicFilterProblem,
  topicMatchesFilter,
  topicNameProblem,
} from '@iotgw/contracts';
import { describe, expect, it } from 'vitest';

describe('MQTT topic rules', () => {
  it.each([
    ['sport/tennis/player1/#', 'sport/tennis/player1', true],
    ['sport/tennis/player1/#', 'sport/tennis/player1/ranking', true],
    ['sport/#', 'sport', true],
    ['#', 'a/b/c', true],
    ['+/+', '/finance', true],
    ['+', '/finance', false],
    ['sport/+/player1', 'sport/tennis/player1', true],
    ['sport/+', 'sport/tennis/player1', false],
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['a/b', 'a/b', true],
    ['a/b', 'a/b/', false],
  ])('filter %s vs topic %s → %s', (filter, topic, expected) => {
    expect(topicMatchesFilter(filter, topic)).toBe(expected);
  });

  it('names what is wrong with a filter', () => {
    expect(topicFilterProblem('a/#/b')).toMatch(/'#' must be the whole last level/);
    expect(topicFilterProblem('a/b#')).toMatch(/'#'/);
    expect(topicFilterProblem('a/b+/c')).toMatch(/'\+' must occupy a whole level/);
    expect(topicFilterProblem('')).toMatch(/empty/);
    expect(topicFilterProblem('a/+/#')).toBeNull();
  });

  it('names what is wrong with a topic name', () => {
    expect(topicNameProblem('a/+')).toMatch(/wildcards/);
    expect(topicNameProblem('a\u0000')).toMatch(/NUL/);
    expect(topicNameProblem('a/b')).toBeNull();
  });

  it('splits shared subscriptions', () => {
    expect(parseSharedFilter('$share/router/v2/+/+/data')).toEqual({
      group: 'router',
      filter: 'v2/+/+/data',
    });
    expect(parseSharedFilter('v2/#')).toBeNull();
  });
});
