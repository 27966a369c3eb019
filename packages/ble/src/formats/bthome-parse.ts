import type { ReadingValue, ReadingValues } from '../advertisement.js';
import { bytesToHex } from '../bytes.js';
import { BTHOME_OBJECT_BY_ID, type BthomeObject, BUTTON_EVENTS, DIMMER_EVENTS } from './bthome-objects.js';

const utf8 = new TextDecoder('utf-8', { fatal: false });

function readUint(data: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + data[at + i]!;
  return value;
}

function readSint(data: Uint8Array, at: number, size: number): number {
  const raw = readUint(data, at, size);
  const limit = 2 ** (8 * size);
  return raw >= limit / 2 ? raw - limit : raw;
}

function scaled(object: BthomeObject, raw: number): number {
  if (object.mul === 1 && object.div === 1) return raw;
  return (raw * object.mul) / object.div;
}

function eventName(table: Readonly<Record<number, string>>, code: number): string {
  return table[code] ?? `unknown_0x${code.toString(16).padStart(2, '0')}`;
}

export interface ParsedObjects {
  values: ReadingValues;
  count: number;
  packetId: number | undefined;
}

/**
 * Parses BTHome objects. Stops at the first unknown id, or at an object whose bytes are missing,
 * keeping what was decoded before. A name seen more than once becomes `name_1`, `name_2`, … in
 * order of appearance (all occurrences are numbered, as bthome.io says).
 */
export function parseBthomeObjects(data: Uint8Array, start: number): ParsedObjects {
  const names: string[] = [];
  const decoded: ReadingValue[] = [];
  let packetId: number | undefined;
  let repeated = false;
  let i = start;
  const len = data.length;
  while (i < len) {
    const object = BTHOME_OBJECT_BY_ID[data[i]!];
    if (object === undefined) break;
    const at = i + 1;
    if (object.kind === 'text' || object.kind === 'raw') {
      if (at >= len) break;
      const size = data[at]!;
      const end = at + 1 + size;
      if (end > len) break;
      const bytes = data.subarray(at + 1, end);
      push(object.name, object.kind === 'text' ? utf8.decode(bytes) : bytesToHex(bytes));
      i = end;
      continue;
    }
    if (at + object.size > len) break;
    switch (object.kind) {
      case 'uint': {
        const raw = readUint(data, at, object.size);
        if (object.id === 0x00 && packetId === undefined) packetId = raw;
        push(object.name, scaled(object, raw));
        break;
      }
      case 'sint':
        push(object.name, scaled(object, readSint(data, at, object.size)));
        break;
      case 'bool':
        push(object.name, data[at] !== 0);
        break;
      case 'button':
        push(object.name, eventName(BUTTON_EVENTS, data[at]!));
        break;
      case 'dimmer':
        push(object.name, eventName(DIMMER_EVENTS, data[at]!));
        push('dimmer_steps', data[at + 1]!);
        break;
      case 'firmware': {
        const parts: number[] = [];
        for (let k = object.size - 1; k >= 0; k--) parts.push(data[at + k]!);
        push(object.name, parts.join('.'));
        break;
      }
    }
    i = at + object.size;
  }

  const values: ReadingValues = {};
  if (!repeated) {
    for (let k = 0; k < names.length; k++) values[names[k]!] = decoded[k]!;
  } else {
    const total = new Map<string, number>();
    for (const name of names) total.set(name, (total.get(name) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!;
      if (total.get(name) === 1) values[name] = decoded[k]!;
      else {
        const n = (seen.get(name) ?? 0) + 1;
        seen.set(name, n);
        values[`${name}_${n}`] = decoded[k]!;
      }
    }
  }
  return { values, count: names.length, packetId };

  function push(name: string, value: ReadingValue): void {
    if (!repeated && names.includes(name)) repeated = true;
    names.push(name);
    decoded.push(value);
  }
}
