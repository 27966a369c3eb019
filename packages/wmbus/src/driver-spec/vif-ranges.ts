/**
 * VIF ranges drivers match on, by wmbusmeters' names (EN 13757-3 VIF codes; FB/FD extension VIFs as
 * 0x7Bxx/0x7Dxx). A record's `vif` is numbered the same way.
 */
const RANGES: Record<string, ReadonlyArray<readonly [number, number]>> = {
  Volume: [[0x10, 0x17]],
  OnTime: [[0x20, 0x23]],
  OperatingTime: [[0x24, 0x27]],
  VolumeFlow: [[0x38, 0x3f]],
  FlowTemperature: [[0x58, 0x5b]],
  ReturnTemperature: [[0x5c, 0x5f]],
  TemperatureDifference: [[0x60, 0x63]],
  ExternalTemperature: [[0x64, 0x67]],
  Pressure: [[0x68, 0x6b]],
  HeatCostAllocation: [[0x6e, 0x6e]],
  Date: [[0x6c, 0x6c]],
  DateTime: [[0x6d, 0x6d]],
  EnergyMJ: [[0x08, 0x0f]],
  EnergyWh: [[0x00, 0x07]],
  PowerW: [[0x28, 0x2f]],
  PowerJh: [[0x30, 0x37]],
  ActualityDuration: [[0x74, 0x77]],
  FabricationNo: [[0x78, 0x78]],
  EnhancedIdentification: [[0x79, 0x79]],
  EnergyMWh: [[0x7b00, 0x7b01]],
  EnergyGJ: [[0x7b08, 0x7b09]],
  RelativeHumidity: [[0x7b1a, 0x7b1b]],
  AccessNumber: [[0x7d08, 0x7d08]],
  Medium: [[0x7d09, 0x7d09]],
  Manufacturer: [[0x7d0a, 0x7d0a]],
  ParameterSet: [[0x7d0b, 0x7d0b]],
  ModelVersion: [[0x7d0c, 0x7d0c]],
  HardwareVersion: [[0x7d0d, 0x7d0d]],
  FirmwareVersion: [[0x7d0e, 0x7d0e]],
  SoftwareVersion: [[0x7d0f, 0x7d0f]],
  Location: [[0x7d10, 0x7d10]],
  Customer: [[0x7d11, 0x7d11]],
  ErrorFlags: [[0x7d17, 0x7d17]],
  DigitalOutput: [[0x7d1a, 0x7d1a]],
  DigitalInput: [[0x7d1b, 0x7d1b]],
  DurationSinceReadout: [[0x7d2c, 0x7d2f]],
  DurationOfTariff: [[0x7d31, 0x7d33]],
  Dimensionless: [[0x7d3a, 0x7d3a]],
  Voltage: [[0x7d40, 0x7d4f]],
  Amperage: [[0x7d50, 0x7d5f]],
  ResetCounter: [[0x7d60, 0x7d60]],
  CumulationCounter: [[0x7d61, 0x7d61]],
  SpecialSupplierInformation: [[0x7d67, 0x7d67]],
  RemainingBattery: [[0x7d74, 0x7d74]],
  AnyVolumeVIF: [[0x10, 0x17]],
  AnyEnergyVIF: [
    [0x00, 0x0f],
    [0x7b00, 0x7b01],
    [0x7b08, 0x7b09],
  ],
  AnyPowerVIF: [[0x28, 0x37]],
};

export const vifRangeNames: readonly string[] = Object.keys(RANGES);

/** A predicate for a named range; undefined for an unknown name (the validator reports it). */
export function vifRangePredicate(name: string): ((vif: number) => boolean) | undefined {
  if (name === 'Any') return () => true;
  const ranges = RANGES[name];
  if (ranges === undefined) return undefined;
  if (ranges.length === 1) {
    const [from, to] = ranges[0] as readonly [number, number];
    return (vif) => vif >= from && vif <= to;
  }
  return (vif) => ranges.some(([from, to]) => vif >= from && vif <= to);
}
