import { readFileSync } from 'node:fs';
import { ConnectorError } from './connector-error.js';
import type { TlsOptions } from './connector-options.js';

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** Reads the TLS files named in the options. Throws MQTT_ERR_TLS naming the file that cannot be read. */
export function readTlsFiles(tls: TlsOptions): TlsMaterial {
  const out: TlsMaterial = { rejectUnauthorized: tls.rejectUnauthorized ?? true };
  for (const key of ['ca', 'cert', 'key'] as const) {
    const path = tls[key];
    if (path === undefined) continue;
    try {
      out[key] = readFileSync(path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? 'error';
      throw new ConnectorError('MQTT_ERR_TLS', `cannot read tls.${key} file ${path}: ${code}`, { cause });
    }
  }
  if (tls.servername !== undefined) out.servername = tls.servername;
  return out;
}

const TLS_UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

/** A failed connection attempt in words, with what to check. */
export function describeConnectionError(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = (e?.message ?? String(err)).replace(/\s+/g, ' ').trim();
  const base = code && !message.includes(code) ? `${message} (${code})` : message;
  if (code && TLS_UNTRUSTED.has(code)) {
    return `TLS: the broker's certificate is not trusted: ${base}; set tls.ca to the CA that signed it`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS: the broker's certificate does not name this host: ${base}; connect by a name in the certificate or set tls.servername`;
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return `TLS: ${base}`;
  if (/alert|certificate required|handshake/i.test(message)) {
    return `TLS handshake refused by the broker: ${base}; a broker that requires a client certificate needs tls.cert and tls.key`;
  }
  if (code === 'ECONNREFUSED') return `broker not reachable: ${base}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `broker host name not resolved: ${base}`;
  return base;
}
