import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ReceivedRequest {
  readonly path: string;
  readonly body: string;
  readonly headers: IncomingMessage['headers'];
}

export type Responder = (
  req: ReceivedRequest,
  n: number,
) => { status: number; headers?: Record<string, string> } | 'hang';

/** A real local HTTP server whose answers the test scripts; counts requests and concurrency. */
export interface TestEndpoint {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  readonly maxConcurrent: number;
  /** Requests whose client went away before an answer (e.g. a timeout). */
  readonly aborted: number;
  respond: Responder;
  close(): Promise<void>;
}

export async function startEndpoint(respond: Responder, delayMs = 0): Promise<TestEndpoint> {
  let concurrent = 0;
  let maxConcurrent = 0;
  let aborted = 0;
  const requests: ReceivedRequest[] = [];
  const open = new Set<ServerResponse>();
  const state = { respond };
  const server: Server = createServer((req, res) => {
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => {
      const r: ReceivedRequest = { path: req.url ?? '/', body, headers: req.headers };
      requests.push(r);
      const answer = state.respond(r, requests.length);
      res.on('close', () => {
        concurrent--;
        open.delete(res);
        if (!res.writableEnded) aborted++;
      });
      if (answer === 'hang') {
        open.add(res);
        return;
      }
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.status >= 400 ? `status ${answer.status}` : 'ok');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    get aborted() {
      return aborted;
    },
    get respond() {
      return state.respond;
    },
    set respond(r: Responder) {
      state.respond = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
