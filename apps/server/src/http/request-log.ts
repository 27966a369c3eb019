import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** A request slower than this is logged at info whatever its status. */
export const SLOW_REQUEST_MS = 1_000;

/**
 * One line per request, `request completed` with method, URL, status and time: at debug for a quick
 * success (a dashboard polling every few seconds does not fill the log), at info for 4xx/5xx and slow
 * requests, at error when the response failed. No headers, no bodies; no `incoming request` line.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const ms = Math.round(reply.elapsedTime);
    const status = reply.statusCode;
    const line = { method: request.method, url: request.url, status, ms };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log[status >= 400 || ms >= SLOW_REQUEST_MS ? 'info' : 'debug'](line, 'request completed');
  }
}
