import { dateTime } from './common-schemas.js';

const secretRef = {
  type: ['string', 'null'],
  maxLength: 1024,
  pattern: '^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+)$',
  description: 'where the password is: env:NAME (an environment variable) or file:/path; never the password',
} as const;

const properties = {
  name: { type: 'string', minLength: 1, maxLength: 100 },
  host: { type: 'string', minLength: 1, maxLength: 255 },
  port: { type: 'integer', minimum: 1, maximum: 65_535, description: 'default 1883, 8883 with TLS' },
  useTls: { type: 'boolean' },
  username: { type: ['string', 'null'], maxLength: 255 },
  passwordRef: secretRef,
  clientId: { type: ['string', 'null'], maxLength: 200 },
  isDefault: { type: 'boolean' },
  enabled: { type: 'boolean' },
} as const;

export const mqttServerCreateBody = {
  type: 'object',
  required: ['name', 'host'],
  additionalProperties: false,
  properties,
} as const;

export const mqttServerUpdateBody = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties,
} as const;

/** No property of this schema can hold a secret: responses are serialised through it. */
export const mqttServerSchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'host',
    'port',
    'useTls',
    'username',
    'passwordRef',
    'clientId',
    'isDefault',
    'enabled',
    'createdAt',
    'updatedAt',
  ],
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'integer' },
    useTls: { type: 'boolean' },
    username: { type: ['string', 'null'] },
    passwordRef: {
      type: ['string', 'null'],
      description: 'a reference (env:NAME, file:/path), never the password',
    },
    clientId: { type: ['string', 'null'] },
    isDefault: { type: 'boolean' },
    enabled: { type: 'boolean' },
    createdAt: dateTime,
    updatedAt: dateTime,
  },
} as const;
