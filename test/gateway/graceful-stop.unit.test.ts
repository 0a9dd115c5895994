// gracefulStop (src/gateway/graceful-stop.ts) on a plain HTTP server on 127.0.0.1, for the case a
// hub's routes do not reach: an answer whose headers went out before the stop (so without
// Connection: close) must still have its keep-alive connection closed once it ends, not held open
// until keepAliveTimeout or the grace. The hub's cases: test/faults/graceful-shutdown.test.ts.
import { once } from 'node:events';
import { Agent, createServer, get, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { gracefulStop } from '../../src/gateway/graceful-stop.js';
import { closeServer, listen } from '../support/http-servers.js';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => closeServer(server)));
});

it('closes a keep-alive connection whose answer started before the stop once that answer ends', async () => {
  let streaming: ServerResponse | undefined;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('first half, ');
    streaming = res;
  });
  servers.push(server);
  server.keepAliveTimeout = 60_000;
  const stop = gracefulStop(server);
  const url = await listen(server);
  const agent = new Agent({ keepAlive: true });

  const request = get(url, { agent });
  const [answer] = (await once(request, 'response')) as [IncomingMessage];
  expect(answer.headers.connection).toBe('keep-alive');
  const chunks: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => chunks.push(chunk));
  const socketClosed = once(answer.socket, 'close');

  const graceMs = 10_000;
  const started = Date.now();
  const stopped = stop(graceMs).then(() => Date.now());
  streaming!.end('second half');
  await once(answer, 'end');
  expect(Buffer.concat(chunks).toString('utf8')).toBe('first half, second half');
  await socketClosed;
  expect((await stopped) - started).toBeLessThan(5_000);
  agent.destroy();
});
