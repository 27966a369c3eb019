/** Stable codes for what stops iotgw-server from starting (each shown as one line, no stack). */
export type ServerErrorCode =
  | 'SERVER_ERR_CONFIG'
  | 'SERVER_ERR_DATABASE'
  | 'SERVER_ERR_MIGRATION'
  | 'SERVER_ERR_MQTT'
  | 'SERVER_ERR_HTTP';

export class ServerError extends Error {
  readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerError';
    this.code = code;
  }
}

/** One line for an operator: the message without stack, newlines folded. */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\s*\n\s*/g, '; ').trim();
}
