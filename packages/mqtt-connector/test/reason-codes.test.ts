import { isFatalConnack, reasonCodeText } from '@iotgw/mqtt-connector';
import { describe, expect, it } from 'vitest';

describe('reasonCodeText', () => {
  it('names MQTT 3.1.1 CONNACK return codes (the legacy connection_rc_str)', () => {
    expect([0, 1, 2, 3, 4, 5].map((c) => reasonCodeText('connack', c, 4))).toEqual([
      'connection accepted (0x00, MQTT 3.1.1)',
      'connection refused: unacceptable protocol version (0x01, MQTT 3.1.1)',
      'connection refused: identifier rejected (0x02, MQTT 3.1.1)',
      'connection refused: server unavailable (0x03, MQTT 3.1.1)',
      'connection refused: bad user name or password (0x04, MQTT 3.1.1)',
      'connection refused: not authorised (0x05, MQTT 3.1.1)',
    ]);
  });

  it('names MQTT 5 CONNACK, PUBACK and SUBACK reason codes', () => {
    expect(reasonCodeText('connack', 0x86, 5)).toBe('bad user name or password (0x86, MQTT 5)');
    expect(reasonCodeText('connack', 0x9f, 5)).toBe('connection rate exceeded (0x9f, MQTT 5)');
    expect(reasonCodeText('puback', 0x10, 5)).toBe('no matching subscribers (0x10, MQTT 5)');
    expect(reasonCodeText('puback', 0x99, 5)).toBe('payload format invalid (0x99, MQTT 5)');
    expect(reasonCodeText('suback', 0x01, 5)).toBe('granted QoS 1 (0x01, MQTT 5)');
    expect(reasonCodeText('suback', 0x9e, 5)).toBe('shared subscriptions not supported (0x9e, MQTT 5)');
    expect(reasonCodeText('suback', 0x80, 4)).toBe('failure (0x80, MQTT 3.1.1)');
  });

  it('has a text for every code the specifications define', () => {
    const connack5 = [
      0, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8c, 0x90, 0x95, 0x97, 0x99, 0x9a,
      0x9b, 0x9c, 0x9d, 0x9f,
    ];
    const puback5 = [0, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99];
    const suback5 = [0, 1, 2, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2];
    for (const c of connack5) expect(reasonCodeText('connack', c, 5)).not.toMatch(/unknown/);
    for (const c of puback5) expect(reasonCodeText('puback', c, 5)).not.toMatch(/unknown/);
    for (const c of suback5) expect(reasonCodeText('suback', c, 5)).not.toMatch(/unknown/);
    for (const c of [0, 1, 2, 0x80]) expect(reasonCodeText('suback', c, 4)).not.toMatch(/unknown/);
  });

  it('says so for unknown codes and for 3.1.1 PUBACKs, which carry none', () => {
    expect(reasonCodeText('connack', 0x42, 5)).toBe('unknown CONNACK reason code 0x42 (MQTT 5)');
    expect(reasonCodeText('connack', 6, 4)).toBe('unknown CONNACK reason code 0x06 (MQTT 3.1.1)');
    expect(reasonCodeText('puback', 0, 4)).toBe('acknowledged (MQTT 3.1.1 PUBACK carries no reason code)');
  });
});

describe('isFatalConnack', () => {
  it('credentials, authorisation, client id and protocol refusals stop reconnecting; the rest back off', () => {
    expect([1, 2, 3, 4, 5].filter((c) => isFatalConnack(c, 4))).toEqual([1, 2, 4, 5]);
    expect(isFatalConnack(0x86, 5)).toBe(true);
    expect(isFatalConnack(0x87, 5)).toBe(true);
    expect(isFatalConnack(0x8a, 5)).toBe(true);
    expect(isFatalConnack(0x88, 5)).toBe(false);
    expect(isFatalConnack(0x89, 5)).toBe(false);
    expect(isFatalConnack(0x9f, 5)).toBe(false);
  });
});
