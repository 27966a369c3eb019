import { RouterError } from '../router-error.js';

/** Opaque pagination cursors: base64url JSON `[kind, ...values]`. */
export function encodeCursor(kind: string, values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...values]), 'utf8').toString('base64url');
}

export function decodeCursor(
  cursor: string,
  kind: string,
  types: readonly ('string' | 'number')[],
): (string | number)[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new RouterError('ROUTER_ERR_CURSOR', 'the cursor is not one this API returned', { cause });
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== kind ||
    parsed.length !== types.length + 1 ||
    !types.every((t, i) => typeof parsed[i + 1] === t)
  ) {
    throw new RouterError('ROUTER_ERR_CURSOR', 'the cursor does not belong to this query');
  }
  return parsed.slice(1) as (string | number)[];
}

export function pageLimit(limit: number | undefined, max = 10_000): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new RouterError('ROUTER_ERR_VALIDATION', `limit must be an integer from 1 to ${max}`, {
      problems: [{ path: '$.limit', message: `must be an integer from 1 to ${max}` }],
    });
  }
  return limit;
}
