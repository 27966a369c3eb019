/** JSON Schema (draft-07, ajv) of a driver file: the contract docs/wmbus-drivers.md describes. */

const intLike = {
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^(0[xX])?[0-9a-fA-F]+$' },
  ],
} as const;

const nrRange = {
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 2, maxItems: 2 },
  ],
} as const;

export const QUANTITIES = [
  'Energy',
  'Reactive_Energy',
  'Apparent_Energy',
  'Power',
  'Reactive_Power',
  'Apparent_Power',
  'Volume',
  'Flow',
  'Temperature',
  'RelativeHumidity',
  'HCA',
  'Mass',
  'Pressure',
  'PointInTime',
  'Time',
  'Voltage',
  'Amperage',
  'Frequency',
  'Angle',
  'Dimensionless',
  'Text',
] as const;

const matchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    difvifkey: { type: 'string', pattern: '^([0-9a-fA-F]{2})+$' },
    measurementType: { enum: ['Instantaneous', 'Maximum', 'Minimum', 'AtError', 'Any'] },
    vifRange: { type: 'string', minLength: 1 },
    vifRaw: intLike,
    storage: nrRange,
    tariff: nrRange,
    subunit: nrRange,
    combinable: { type: 'array', items: { type: 'string', minLength: 1 } },
    combinableRaw: { type: 'array', items: intLike },
    index: { type: 'integer', minimum: 1 },
  },
} as const;

const lookupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'mapType', 'map'],
  properties: {
    name: { type: 'string', minLength: 1 },
    mapType: { enum: ['BitToString', 'IndexToString', 'DecimalsToString'] },
    maskBits: intLike,
    defaultMessage: { type: 'string' },
    map: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'value'],
        properties: {
          name: { type: 'string' },
          value: intLike,
          test: { enum: ['Set', 'NotSet'] },
        },
      },
    },
  },
} as const;

const fieldSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'quantity'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_{} +-]+$' },
    quantity: { enum: QUANTITIES },
    info: { type: 'string' },
    displayUnit: { type: 'string', minLength: 1 },
    vifScaling: { enum: ['Auto', 'None'] },
    difSignedness: { enum: ['Signed', 'Unsigned'] },
    forceScale: { type: 'number' },
    seconds: { type: 'boolean' },
    readableString: { enum: ['Reversed', 'Normal'] },
    attributes: {
      type: 'array',
      items: {
        enum: ['STATUS', 'INCLUDE_TPL_STATUS', 'INJECT_INTO_STATUS', 'HIDE', 'DEPRECATED', 'REQUIRED'],
      },
    },
    match: matchSchema,
    lookups: { type: 'array', items: lookupSchema },
    calculate: { type: 'string', minLength: 1 },
  },
} as const;

const testSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['telegrams', 'expected'],
  properties: {
    comment: { type: 'string' },
    telegrams: { type: 'array', minItems: 1, items: { type: 'string', minLength: 2 } },
    key: { type: 'string' },
    meterName: { type: 'string' },
    expected: { type: 'object' },
  },
} as const;

export const driverSpecSchema = {
  $id: 'https://iotgw.dev/schemas/wmbus-driver.json',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'detect', 'fields'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
    aliases: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' } },
    description: { type: 'string' },
    source: { type: 'string' },
    meterType: { type: 'string' },
    media: { type: 'string' },
    detect: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['mfct', 'version', 'type'],
        properties: {
          mfct: { type: 'string', pattern: '^[A-Z@]{3}$' },
          version: { anyOf: [intLike, { const: '*' }] },
          type: intLike,
        },
      },
    },
    defaultFields: { type: 'array', items: { type: 'string' } },
    compactFormats: { type: 'array', items: { type: 'string', pattern: '^([0-9a-fA-F]{2})+$' } },
    tplStatusLookups: { type: 'array', items: lookupSchema },
    library: { type: 'array', items: { type: 'string', minLength: 1 } },
    fields: { type: 'array', items: fieldSchema },
    tests: { type: 'array', items: testSchema },
  },
} as const;
