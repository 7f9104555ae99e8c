import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_HEADERS } from '../../shared/api/webhooks.ts';

/** One request the receiver got: its raw body as sent, for the signature. */
export interface Received {
  requestId: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with a request: answer with a status, or never answer. */
export type Answer = number | 'hang';

/**
 * A real HTTP receiver on loopback for the webhook tests and the bench: it answers each request
 * as `answer` says (200, 500, 429, … or hang), and keeps what it got.
 */
export interface WebhookReceiver {
  url: string;
  received: Received[];
  /** Requests per request id (the bench counts lost and doubled deliveries with it). */
  counts: Map<string, number>;
  answer: (request: Received) => Answer;
  close(): Promise<void>;
}

export async function startReceiver(keep = true): Promise<WebhookReceiver> {
  const hanging = new Set<ServerResponse>();
  const receiver: WebhookReceiver = {
    url: '',
    received: [],
    counts: new Map(),
    answer: () => 200,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const requestId = String(request.headers[WEBHOOK_HEADERS.requestId] ?? '');
      const got: Received = { requestId, headers: request.headers, body: Buffer.concat(chunks).toString() };
      if (keep) receiver.received.push(got);
      receiver.counts.set(requestId, (receiver.counts.get(requestId) ?? 0) + 1);
      const answer = receiver.answer(got);
      if (answer === 'hang') {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
