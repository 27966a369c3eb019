import { createHash, timingSafeEqual } from 'node:crypto';

export type ApiRole = 'read' | 'admin';

/** One configured token: only its SHA-256 is kept; `id` (8 hex digits of the hash) names it in logs. */
export interface ApiToken {
  readonly role: ApiRole;
  readonly id: string;
  readonly hash: Buffer;
}

export interface TokenProblem {
  /** Where: `API_TOKENS_FILE line 3`, `API_TOKENS entry 2`. Never the token. */
  readonly where: string;
  readonly message: string;
}

export type ParsedTokens = { ok: true; tokens: ApiToken[] } | { ok: false; problems: TokenProblem[] };

/** Tokens are long random strings: base64, base64url or hex characters, at least 16 of them. */
const TOKEN = /^[A-Za-z0-9._~+/=-]{16,512}$/;
const PREHASHED = /^sha256:([0-9a-fA-F]{64})$/;

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function tokenOf(role: ApiRole, hash: Buffer): ApiToken {
  return { role, id: hash.subarray(0, 4).toString('hex'), hash };
}

/**
 * Parses token entries, each `role:token` (role `read` or `admin`) or `role:sha256:<64 hex>` (the
 * SHA-256 of the token, so that the file need not hold the token itself). In a file: one entry per
 * line, `#` comments and blank lines ignored. In API_TOKENS: entries separated by commas or newlines.
 * Pure; problems name the line or entry, never the token.
 */
export function parseApiTokens(text: string, source: 'file' | 'env', label: string): ParsedTokens {
  const entries = source === 'file' ? text.split(/\r?\n/) : text.split(/[,\n]/);
  const tokens: ApiToken[] = [];
  const problems: TokenProblem[] = [];
  const seen = new Set<string>();
  entries.forEach((raw, i) => {
    const entry = raw.trim();
    if (entry === '' || (source === 'file' && entry.startsWith('#'))) return;
    const where = `${label} ${source === 'file' ? 'line' : 'entry'} ${i + 1}`;
    const colon = entry.indexOf(':');
    const role = colon < 0 ? '' : entry.slice(0, colon).trim();
    const secret = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (role !== 'read' && role !== 'admin') {
      problems.push({ where, message: "must be 'read:<token>' or 'admin:<token>'" });
      return;
    }
    const prehashed = PREHASHED.exec(secret);
    let hash: Buffer;
    if (prehashed) hash = Buffer.from(prehashed[1] as string, 'hex');
    else if (TOKEN.test(secret)) hash = sha256(secret);
    else {
      problems.push({
        where,
        message:
          'the token must be 16 to 512 characters of A-Z a-z 0-9 . _ ~ + / = - (or sha256:<64 hex digits>)',
      });
      return;
    }
    const key = hash.toString('hex');
    if (seen.has(key)) {
      problems.push({ where, message: 'repeats a token given before' });
      return;
    }
    seen.add(key);
    tokens.push(tokenOf(role, hash));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, tokens };
}

/**
 * The configured API tokens, hashed. `verify` hashes the presented token and compares it with every
 * stored hash in constant time (no early exit), so neither the comparison nor the loop tells how much
 * of a token was right.
 */
export class ApiTokenStore {
  readonly #tokens: readonly ApiToken[];

  constructor(tokens: readonly ApiToken[]) {
    this.#tokens = Object.freeze([...tokens]);
  }

  /** No token configured: the server listens on loopback only and accepts every request. */
  get open(): boolean {
    return this.#tokens.length === 0;
  }

  get size(): number {
    return this.#tokens.length;
  }

  /** Counts by role, for the start-up log line. */
  roles(): Record<ApiRole, number> {
    const out: Record<ApiRole, number> = { read: 0, admin: 0 };
    for (const t of this.#tokens) out[t.role]++;
    return out;
  }

  verify(presented: string): ApiToken | null {
    const hash = sha256(presented);
    let found: ApiToken | null = null;
    for (const token of this.#tokens) {
      if (timingSafeEqual(hash, token.hash) && found === null) found = token;
    }
    return found;
  }

  toJSON(): { tokens: { role: ApiRole; id: string }[] } {
    return { tokens: this.#tokens.map((t) => ({ role: t.role, id: t.id })) };
  }
}
