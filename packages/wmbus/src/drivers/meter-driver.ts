import type { DriverTestSpec } from '../driver-spec/driver-spec.js';
import type { DecodedRecord } from '../records/parse-records.js';

/** The (manufacturer, version, device type) tuple a driver answers for. */
export interface DriverDetection {
  readonly manufacturer: string;
  /** -1: any version. */
  readonly version: number;
  readonly deviceType: number;
}

export interface FieldValue {
  readonly value: number | string;
  /** The record the value came from (the analyzer marks its bytes as decoded). */
  readonly record: DecodedRecord;
}

/** One value a driver reports, named with its unit suffix as wmbusmeters names it. */
export interface DriverField {
  readonly name: string;
  readonly quantity: string;
  /** Unit of the value ('' for text). */
  readonly unit: string;
  readonly info: string;
  extract(records: readonly DecodedRecord[]): FieldValue | undefined;
}

/**
 * A meter family as the decoder runs it: compiled from a driver file (driver-spec/compile-driver.ts).
 * Adding a meter means adding one JSON file in builtin/ and one line in built-in-drivers.ts.
 */
export interface MeterDriver {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
  /** Media to announce before the meter is heard (a heard telegram's device type wins). */
  readonly media: string;
  readonly detect: readonly DriverDetection[];
  /** Compact-frame formats known without a full frame, as DIF/VIF hex. */
  readonly compactFormats: readonly string[];
  readonly fields: readonly DriverField[];
  /**
   * Whole-telegram extraction (compiled driver files: name templates, status words, lookups). When absent,
   * each field's `extract` runs in turn.
   */
  readonly extract?: (records: readonly DecodedRecord[], context: ExtractContext) => ExtractedValues;
  /** Tests embedded in the driver file. */
  readonly tests?: readonly DriverTestSpec[];
  /** Where the driver's facts come from. */
  readonly source?: string;
}

export interface ExtractContext {
  /** The TPL status byte, when the telegram has a TPL header with one. */
  readonly tplStatus?: number;
}

export interface ExtractedValues {
  readonly values: Record<string, number | string>;
  readonly units: Record<string, string>;
  readonly used: Map<string, FieldValue>;
}
