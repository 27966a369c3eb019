/**
 * Bytes a provisioning entry may take on average: `{"deviceId":"12345678","manufacturerKey":"KAM",
 * "encryptionKey":"<32 hex>"}` is ~100 bytes, so this leaves room for legacy key names and spacing.
 */
export const PROVISIONING_BYTES_PER_METER = 512;

/**
 * Why a provisioning message is refused before it is parsed, or null: a payload that cannot hold at
 * most `maxMeters` entries is refused by its size alone, so nothing proportional to it is built.
 */
export function provisioningSizeProblem(payloadBytes: number, maxMeters: number): string | null {
  const maxBytes = maxMeters * PROVISIONING_BYTES_PER_METER;
  if (payloadBytes <= maxBytes) return null;
  return `provisioning message of ${payloadBytes} bytes refused: more than ${maxBytes} bytes (${PROVISIONING_BYTES_PER_METER} per meter for wmbus.maxMeters = ${maxMeters})`;
}

/** Why a parsed list is refused as a whole for its length, or null. */
export function provisioningCountProblem(meters: number, maxMeters: number): string | null {
  if (meters <= maxMeters) return null;
  return `provisioning list of ${meters} meters refused: more than wmbus.maxMeters = ${maxMeters}`;
}
