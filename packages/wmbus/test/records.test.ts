import { type DecodedRecord, parseRecords } from '@iotgw/wmbus';
import { describe, expect, it } from 'vitest';
import { bytesOf } from './support/vectors.js';

function records(hex: string): DecodedRecord[] {
  const b = bytesOf(hex);
  const r = parseRecords(b, 0, b.length);
  if (!r.ok) throw new Error(`${r.code}: ${r.detail}`);
  return r.records;
}

function one(hex: string): DecodedRecord {
  const [r] = records(hex);
  if (r === undefined) throw new Error('no record');
  return r;
}

describe('DIF/VIF records', () => {
  it('scales energy, power and the backward-flow extension (OmniPower records)', () => {
    const [a, b, c, d] = records('04041A030000 04843C0C000000 042B03000000 04AB3C01000000');
    expect(a).toMatchObject({
      quantity: 'energy',
      unit: 'kWh',
      value: 7.94,
      function: 'instantaneous',
      combinable: [],
    });
    expect(b).toMatchObject({ quantity: 'energy', value: 0.12, combinable: ['backward_flow'] });
    expect(c).toMatchObject({ quantity: 'power', unit: 'kW', value: 0.003 });
    expect(d).toMatchObject({ quantity: 'power', value: 0.001, combinable: ['backward_flow'] });
  });

  it('decodes volume, flow, temperatures, storage numbers and functions', () => {
    expect(one('0413 2F4E0000')).toMatchObject({ quantity: 'volume', unit: 'm3', value: 20.015, storage: 0 });
    expect(one('4413 08190000')).toMatchObject({ storage: 1 });
    expect(one('92013B 3D01')).toMatchObject({
      quantity: 'volume_flow',
      unit: 'm3/h',
      value: 0.317,
      function: 'maximum',
      storage: 2,
    });
    expect(one('615B 7F')).toMatchObject({
      quantity: 'flow_temperature',
      unit: 'C',
      value: 127,
      function: 'minimum',
      storage: 1,
    });
    expect(one('0267 F6FF')).toMatchObject({ quantity: 'external_temperature', value: -10 });
    expect(one('025E 2301')).toMatchObject({ quantity: 'return_temperature', value: 29.1 });
    expect(one('0262 0A00')).toMatchObject({ quantity: 'temperature_difference', unit: 'K', value: 1 });
    expect(one('0E06 563412000000')).toMatchObject({
      quantity: 'energy',
      unit: 'kWh',
      value: 123456,
      dataLength: 6,
    });
    expect(one('053E 0000C03F')).toMatchObject({ quantity: 'volume_flow', value: 1.5 });
    expect(one('053E 0000807F')).toMatchObject({ value: '0000807f' });
    expect(one('0C0E 78563412')).toMatchObject({ quantity: 'energy', unit: 'MJ', value: 12345678 });
  });

  it('decodes dates (type G), date-times (type F) and tariff/subunit bits', () => {
    expect(one('426C 812A')).toMatchObject({ quantity: 'date', value: '2020-10-01', storage: 1 });
    expect(one('046D 2B0E8121')).toMatchObject({ quantity: 'datetime', value: '2020-01-01 14:43' });
    expect(one('8410 13 D2040000')).toMatchObject({ tariff: 1, quantity: 'volume' });
    expect(one('8440 13 D2040000')).toMatchObject({ subunit: 1 });
  });

  it('reads FD/FB extension tables, plain text units and variable-length text', () => {
    expect(one('0CFD08 12000000')).toMatchObject({ quantity: 'access_number', value: 12 });
    expect(one('02FD47 E100')).toMatchObject({ quantity: 'voltage', unit: 'V', value: 2.25 });
    expect(one('04FB00 0A000000')).toMatchObject({ quantity: 'energy', unit: 'kWh', value: 1000 });
    expect(one('0D78 03 434241')).toMatchObject({ quantity: 'fabrication_no', value: 'ABC' });
    expect(one('027C 03 4D5054 0500')).toMatchObject({ quantity: 'plain_text', unit: 'TPM', value: 5 });
  });

  it('skips 2F fillers, keeps manufacturer data as hex and stops there', () => {
    const r = records('2F2F 0413 01000000 0F 0102 03');
    expect(r).toHaveLength(2);
    expect(r[1]).toMatchObject({ quantity: 'manufacturer_data', value: '010203' });
  });

  it('reports truncated records instead of reading past the end', () => {
    const b = bytesOf('0413 0100');
    expect(parseRecords(b, 0, b.length)).toMatchObject({ ok: false, code: 'WMBUS_ERR_RECORDS' });
    const c = bytesOf('84');
    expect(parseRecords(c, 0, c.length)).toMatchObject({ ok: false, code: 'WMBUS_ERR_RECORDS' });
  });
});
