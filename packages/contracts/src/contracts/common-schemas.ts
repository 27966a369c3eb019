/** Schema pieces shared by several contracts. */

/** ISO-8601 UTC with a `Z`, as the legacy gateways wrote it (`%Y-%m-%dT%H:%M:%SZ`), optional fraction. */
export const timestampSchema = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z$',
  description: 'UTC time, ISO-8601 with Z',
} as const;

/** A reading value: named in snake_case with its unit as suffix (`temperature_c`, `total_energy_consumption_kwh`). */
export const readingValueSchema = { type: ['number', 'string', 'boolean'] } as const;

/** Value names: snake_case, starting with a letter. */
export const readingNamePattern = '^[a-z][a-z0-9_]*$';

/** Formats a Date the way every contract timestamp is written: second precision, UTC, `Z`. */
export function isoTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
