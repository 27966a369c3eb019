import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DecodeOptions, type FrameFormatOption, hexToBytes } from '@iotgw/wmbus';

export interface Vector {
  readonly name: string;
  readonly source: string;
  readonly hex: string;
  readonly key?: string;
  readonly preDecrypted?: boolean;
  readonly frameFormat?: FrameFormatOption;
  readonly build?: { readonly kind: 'omnipower' | 'multical21'; readonly spec: Record<string, unknown> };
  readonly expect:
    | {
        readonly ok: true;
        readonly driver: string;
        readonly id: string;
        readonly frame: 'full' | 'compact';
        readonly values: Record<string, number | string>;
      }
    | { readonly ok: false; readonly code: string };
}

export const fixturesDir = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export const vectors: readonly Vector[] = (
  JSON.parse(readFileSync(`${fixturesDir}vectors.json`, 'utf8')) as { vectors: Vector[] }
).vectors;

export function vector(name: string): Vector {
  const v = vectors.find((x) => x.name === name);
  if (v === undefined) throw new Error(`no vector ${name}`);
  return v;
}

export function bytesOf(hex: string): Uint8Array {
  const b = hexToBytes(hex);
  if (b === undefined) throw new Error(`bad hex ${hex}`);
  return b;
}

export function optionsOf(v: Vector): DecodeOptions {
  return {
    ...(v.key ? { key: bytesOf(v.key) } : {}),
    ...(v.preDecrypted ? { preDecrypted: true } : {}),
    ...(v.frameFormat ? { frameFormat: v.frameFormat } : {}),
  };
}

export const SPEC_KEY = '9A25139E3244CC2E391A8EF6B915B697';
export const MULTICAL_KEY = '28F64A24988064A079AA2C807D6102AE';
