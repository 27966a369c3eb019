import type { Advertisement, ReadingValues } from './advertisement.js';
import type { DecodeFailure } from './decode-failure.js';
import type { ReplayGuard } from './replay-guard.js';

/** What a device decoder returns: values (and its packet id / sequence), or why not. */
export type FormatDecodeResult =
  | {
      ok: true;
      values: ReadingValues;
      sequence?: number;
      /** The device's identity when the payload carries it (BTHome with an included MAC). */
      address?: string;
      /** A more precise model than the definition's, when the payload tells (MiBeacon product id). */
      model?: { brand: string; model: string; modelId: string };
    }
  | DecodeFailure;

/** Per-call context a decoder may need. */
export interface FormatDecodeContext {
  /** Canonical MAC (`AA:BB:..`) or the address as given when it is not a MAC. */
  address: string;
  /** Bind keys by MAC (16 bytes each): BTHome, MiBeacon, Victron. */
  keys: ReadonlyMap<string, Uint8Array> | undefined;
  replay: ReplayGuard | undefined;
  /** The whole advert, for the rare device that spreads a reading over several parts. */
  advert?: Advertisement;
}

/** How a device is recognised, as listed for docs and invariants. */
export type FormatMatch = { companyId?: readonly number[]; serviceUuid?: string; name?: string };

/** One device of a format family, after loading (see devices/definition.ts for the data shape). */
export interface FormatDevice {
  readonly brand: string;
  readonly model: string;
  readonly modelId: string;
  readonly match: FormatMatch;
  readonly valueNames: readonly string[];
}

/**
 * One format family (one definition file in devices/families/): its id is the reading's `format`,
 * the unit of the edge's `ble.formats` setting and of per-format de-duplication windows.
 */
export interface FormatDefinition<Id extends string = string> {
  readonly id: Id;
  readonly title: string;
  readonly source: string;
  readonly devices: readonly FormatDevice[];
  /** Every value name its devices can produce (repeated BTHome objects add `_1`, `_2`, …). */
  readonly valueNames: readonly string[];
  /** The value used as de-duplication sequence, when the family has one. */
  readonly sequenceValue?: string;
}
