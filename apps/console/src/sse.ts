import type { LiveReading } from '@iotgw/contracts';
import { authHeaders } from './api.js';

export type { LiveReading };

export interface LiveHandlers {
  /** Readings in arrival order, a batch per network chunk (many at once under load: render once). */
  readings(batch: LiveReading[]): void;
  /** The server says readings were missed (the ring moved on while we were away). */
  gap?(): void;
  /** Replay done: what follows is live. */
  ready?(): void;
  status?(s: 'connecting' | 'live' | 'retrying' | 'refused'): void;
}

/**
 * Reads the Server-Sent Events of /api/live over fetch (EventSource cannot send the Authorization
 * header) and reconnects after a drop with Last-Event-ID, so nothing in the server's ring is missed.
 */
export function openLive(query: Record<string, string>, handlers: LiveHandlers): () => void {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let retryMs = 2000;
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ''));

  let batch: LiveReading[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const out = batch;
    batch = [];
    handlers.readings(out);
  };
  const dispatch = (block: string) => {
    let event = 'message';
    let data = '';
    let id: string | undefined;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data += data ? `\n${value}` : value;
      else if (field === 'id') id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) retryMs = Number(value);
    }
    if (id !== undefined) lastEventId = id;
    if (event === 'reading' && data) batch.push(JSON.parse(data) as LiveReading);
    else if (event === 'gap') handlers.gap?.();
    else if (event === 'ready') {
      flush();
      handlers.status?.('live');
      handlers.ready?.();
    }
  };

  const run = async () => {
    while (!controller.signal.aborted) {
      handlers.status?.('connecting');
      try {
        const headers: Record<string, string> = { ...authHeaders(), accept: 'text/event-stream' };
        if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
        const res = await fetch(`/api/live?${params}`, { headers, signal: controller.signal });
        if (res.status === 401 || res.status === 403) {
          handlers.status?.('refused');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += value;
          let cut = buffer.indexOf('\n\n');
          while (cut >= 0) {
            dispatch(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
            cut = buffer.indexOf('\n\n');
          }
          flush();
        }
      } catch {
        if (controller.signal.aborted) return;
      }
      handlers.status?.('retrying');
      await new Promise((r) => setTimeout(r, retryMs));
    }
  };
  void run();
  return () => controller.abort();
}
