import type { ReadingValues } from './advertisement.js';
import type { DecodeFailure } from './decode-failure.js';
import type { ReplayGuard } from './replay-guard.js';

/** What a format decoder returns: values (and its packet id / sequence), or why not. */
export type FormatDecodeResult =
  | {
      ok: true;
      values: ReadingValues;
      sequence?: number;
      /** The device's identity when the payload carries it (BTHome with an included MAC). */
      address?: string;
    }
  | DecodeFailure;

/** Per-call context a decoder may need. */
export interface FormatDecodeContext {
  /** Canonical MAC (`AA:BB:..`) or the address as given when it is not a MAC. */
  address: string;
  keys: ReadonlyMap<string, Uint8Array> | undefined;
  replay: ReplayGuard | undefined;
}

/** How a format is recognised: by manufacturer company id or by 16-bit service-data UUID. */
export type FormatMatch = { companyId: number } | { serviceUuid: string };

/**
 * One advertisement format: plain data plus a pure decode function. Adding a format is one file
 * exporting a `FormatDefinition` and one line in `format-registry.ts`.
 */
export interface FormatDefinition<Id extends string = string> {
  readonly id: Id;
  readonly title: string;
  readonly match: FormatMatch;
  /**
   * Every value name the format can produce (repeated BTHome objects add `_1`, `_2`, … to these).
   * The registry invariant test checks each one appears in the format's golden vectors.
   */
  readonly valueNames: readonly string[];
  /** The value used as de-duplication sequence, when the format has one. */
  readonly sequenceValue?: string;
  /**
   * Decodes the bytes after the company id (manufacturer formats) or the service data (service
   * formats). Pure; never throws on any input.
   */
  decode(payload: Uint8Array, context: FormatDecodeContext): FormatDecodeResult;
}

/** Identity helper that keeps the literal `id` type, so `FormatId` can be derived from the registry. */
export function defineFormat<const Id extends string>(
  definition: FormatDefinition<Id>,
): FormatDefinition<Id> {
  return definition;
}
