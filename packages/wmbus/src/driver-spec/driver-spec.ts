/**
 * An iotgw meter driver as data: what a driver file (JSON or YAML, or a wmbusmeters .xmq file converted on
 * load) holds once parsed. Validated by `driverSpecSchema`, compiled once by `compileDriver` into the
 * MeterDriver the decoder runs. Names and matcher semantics follow wmbusmeters' driver files so that their
 * facts and field names carry over. docs/wmbus-drivers.md documents every key.
 */
export interface DriverSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly description?: string;
  /** Where the facts come from (datasheet, OMS volume, a captured telegram, …). */
  readonly source?: string;
  /** wmbusmeters meter type (WaterMeter, HeatMeter, …): gives the media when no telegram says it. */
  readonly meterType?: string;
  /** Media announced before a telegram is heard, e.g. "water"; default from meterType. */
  readonly media?: string;
  readonly detect: readonly DetectSpec[];
  /** Fields wmbusmeters prints in its "fields" output; informational here. */
  readonly defaultFields?: readonly string[];
  /** Compact-frame formats known without a full frame, as DIF/VIF hex. */
  readonly compactFormats?: readonly string[];
  /** Names for the manufacturer bits of the TPL status byte (or all of it, when a rule covers bits 0..4). */
  readonly tplStatusLookups?: readonly LookupSpec[];
  /** Common fields by name (total_m3, target_date, meter_datetime, …: see field-library.ts), before `fields`. */
  readonly library?: readonly string[];
  readonly fields: readonly FieldSpec[];
  readonly tests?: readonly DriverTestSpec[];
}

/** An integer, or a string in hex with 0x (or bare hex for version and type, as wmbusmeters writes them). */
export type IntLike = number | string;

export interface DetectSpec {
  /** Three-letter manufacturer code (KAM) */
  readonly mfct: string;
  /** '*' for any version. */
  readonly version: IntLike | '*';
  readonly type: IntLike;
}

export type QuantityName =
  | 'Energy'
  | 'Reactive_Energy'
  | 'Apparent_Energy'
  | 'Power'
  | 'Reactive_Power'
  | 'Apparent_Power'
  | 'Volume'
  | 'Flow'
  | 'Temperature'
  | 'RelativeHumidity'
  | 'HCA'
  | 'Mass'
  | 'Pressure'
  | 'PointInTime'
  | 'Time'
  | 'Voltage'
  | 'Amperage'
  | 'Frequency'
  | 'Angle'
  | 'Dimensionless'
  | 'Text';

export type MeasurementType = 'Instantaneous' | 'Maximum' | 'Minimum' | 'AtError' | 'Any';

/** A number or an inclusive range [from, to]. */
export type NrRange = number | readonly [number, number];

export interface MatchSpec {
  /** Exact DIF/VIF bytes as hex: when given, nothing else is compared. */
  readonly difvifkey?: string;
  /** Default: any. */
  readonly measurementType?: MeasurementType;
  /** A wmbusmeters VIF range name: Volume, AnyEnergyVIF, FlowTemperature, HeatCostAllocation, … */
  readonly vifRange?: string;
  /** Exact VIF (0x7D17 for VIF FD 17). */
  readonly vifRaw?: IntLike;
  /** Default 0. */
  readonly storage?: NrRange;
  readonly tariff?: NrRange;
  readonly subunit?: NrRange;
  /** Combinable VIFEs the record must carry, by wmbusmeters name (BackwardFlow, …), or Any. */
  readonly combinable?: readonly string[];
  /** Combinable VIFEs by raw code (0x7F01 for FF 01, manufacturer specific). */
  readonly combinableRaw?: readonly IntLike[];
  /** Take the n-th matching record (1-based); default the first. */
  readonly index?: number;
}

export interface LookupMapSpec {
  readonly name: string;
  /** The bits (BitToString) or the value (IndexToString, DecimalsToString). */
  readonly value: IntLike;
  /** Default Set. */
  readonly test?: 'Set' | 'NotSet';
}

export interface LookupSpec {
  readonly name: string;
  readonly mapType: 'BitToString' | 'IndexToString' | 'DecimalsToString';
  /** Default: every bit the map lists. */
  readonly maskBits?: IntLike;
  readonly defaultMessage?: string;
  readonly map: readonly LookupMapSpec[];
}

export type FieldAttribute =
  | 'STATUS'
  | 'INCLUDE_TPL_STATUS'
  | 'INJECT_INTO_STATUS'
  | 'HIDE'
  | 'DEPRECATED'
  | 'REQUIRED';

export interface FieldSpec {
  /** Without the unit suffix; may hold {storage_counter}, {tariff_counter}, {subunit_counter}. */
  readonly name: string;
  readonly quantity: QuantityName;
  readonly info?: string;
  /** Unit the value is printed in and whose name is appended (total + m3 → total_m3). */
  readonly displayUnit?: string;
  /** Auto (default): scale by the VIF; None: the raw integer. */
  readonly vifScaling?: 'Auto' | 'None';
  readonly difSignedness?: 'Signed' | 'Unsigned';
  /** Multiply the value by this after scaling. */
  readonly forceScale?: number;
  /** A date-time prints its seconds when the record carries them (as wmbusmeters' meter_datetime does). */
  readonly seconds?: boolean;
  /** Reversed: print an LVAR text the other way round (some meters send it most significant character first). */
  readonly readableString?: 'Reversed' | 'Normal';
  readonly attributes?: readonly FieldAttribute[];
  readonly match?: MatchSpec;
  readonly lookups?: readonly LookupSpec[];
  /** A formula over other fields, e.g. "total_energy_consumption_kwh - total_energy_production_kwh". */
  readonly calculate?: string;
}

export interface DriverTestSpec {
  readonly comment?: string;
  /** Telegrams of one meter in order, as hex (with _ | # spaces allowed). */
  readonly telegrams: readonly string[];
  /** AES key as hex; absent or "NOKEY" for plaintext or pre-decrypted telegrams. */
  readonly key?: string;
  /** The meter name wmbusmeters' test prints in "name". */
  readonly meterName?: string;
  /** The output expected for the last telegram, in wmbusmeters' JSON shape. */
  readonly expected: Readonly<Record<string, unknown>>;
}
