import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { LiveFeed, matchesFilter } from '../../live/live-feed.js';
import type { LiveReading } from '../../live/live-reading.js';
import { ApiError } from '../api-error.js';
import type { RouteOptions } from '../api-services.js';
import { liveQuery, liveResponses } from '../schemas/live-schemas.js';

/** A stream whose client does not read is dropped past this many unsent bytes (it may resume). */
export const LIVE_MAX_BUFFERED_BYTES = 1_048_576;
const HEARTBEAT_MS = 15_000;

function event(reading: LiveReading): string {
  return `id: ${reading.id}\nevent: reading\ndata: ${JSON.stringify(reading)}\n\n`;
}

/**
 * `GET /api/live`: readings as the router stores them, as Server-Sent Events, filtered by flow, gateway
 * or device; `Last-Event-ID` (header, or `lastEventId` in the query) resumes from the ring.
 */
export async function liveRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  const feed = services.live ?? new LiveFeed();
  const closers = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const close of closers) close();
  });

  app.get<{ Querystring: FromSchema<typeof liveQuery> }>(
    '/api/live',
    {
      schema: {
        tags: ['records'],
        summary: 'Readings as they are stored, pushed as Server-Sent Events (text/event-stream)',
        description: `Events \`reading\` (data: one stored message, id: its event id), \`gap\` (readings were missed: the Last-Event-ID is older than the last ${feed.capacity} readings kept, or from another server run) and \`ready\` (replay done, live from here). A comment line every ${HEARTBEAT_MS / 1000} s keeps the connection open. At most ${feed.maxStreams} streams at once (503 beyond); a client more than ${LIVE_MAX_BUFFERED_BYTES} bytes behind is disconnected and may resume.`,
        querystring: liveQuery,
        response: liveResponses,
      },
    },
    async (request, reply) => {
      const q = request.query;
      const filter = { flow: q.flow, gatewayId: q.gateway, deviceId: q.device };
      const header = request.headers['last-event-id'];
      const lastEventId = (Array.isArray(header) ? header[0] : header) ?? q.lastEventId;
      if (feed.streams >= feed.maxStreams) {
        throw new ApiError(
          503,
          'unavailable',
          `too many live streams (at most ${feed.maxStreams}); close one or retry later`,
        );
      }
      const resume = lastEventId !== undefined ? feed.after(lastEventId) : null;
      const replay = resume ? resume.readings : feed.recent(q.replay ?? 0);

      // From here to subscribe() all is synchronous: no reading can be published in between, so the
      // replay and the live readings neither overlap nor leave a hole.
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        // The stream is the connection's last response: when it ends (server stopping), the socket closes.
        connection: 'close',
        'x-accel-buffering': 'no',
      });
      let open = true;
      let unsubscribe: () => void = () => {};
      const close = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        clearInterval(heartbeat);
        closers.delete(close);
        raw.end();
      };
      closers.add(close);
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      raw.on('close', close);
      raw.write('retry: 2000\n\n');
      if (resume?.gap) raw.write(`event: gap\ndata: ${JSON.stringify({ lastEventId })}\n\n`);
      let chunk = '';
      for (const r of replay) if (matchesFilter(r, filter)) chunk += event(r);
      raw.write(`${chunk}event: ready\ndata: {}\n\n`);
      unsubscribe =
        feed.subscribe((reading) => {
          if (!open || !matchesFilter(reading, filter)) return;
          raw.write(event(reading));
          if (raw.writableLength > LIVE_MAX_BUFFERED_BYTES) {
            request.log.warn({ tokenId: request.tokenId }, 'live stream dropped: the client does not read');
            close();
          }
        }) ?? (() => {});
    },
  );
}
