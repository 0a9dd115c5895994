// The baseline hop: express → axios (keep-alive agent, maxRedirects 0, the hub's upstream
// client settings) → the SIAK simulator, and the upstream's answer passed back as it came.
// No authentication, validation, mapping, masking, audit, metrics or breaker: what one proxy
// hop costs on this machine, to compare the hub with.
import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import express from 'express';
import { SANDBOX_ACCOUNT } from '../../connectors/siak/simulator.js';
import { serve } from './ipc.js';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: bare-proxy.ts <simulator url>');

const http = axios.create({
  baseURL: upstream,
  timeout: 5000,
  maxRedirects: 0,
  // BENCH_HOP_MAX_SOCKETS: at most that many upstream sockets, as the hub's agent keeps (bench/query-diff.ts).
  httpAgent: new Agent({ keepAlive: true, ...(process.env.BENCH_HOP_MAX_SOCKETS ? { maxSockets: Number(process.env.BENCH_HOP_MAX_SOCKETS) } : {}) }),
  responseType: 'text',
  transformResponse: [(data: unknown) => data],
  validateStatus: () => true,
});

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/v1/penduduk/:nik', async (req, res) => {
  const body = { nik: req.params.nik, user_id: SANDBOX_ACCOUNT.userId, password: SANDBOX_ACCOUNT.password, ip_user: SANDBOX_ACCOUNT.ipUser };
  const answer = await http.post<string>(`/dukcapil/get_json/${SANDBOX_ACCOUNT.consumer}/CALL_NIK`, JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  res.status(answer.status).type('application/json').send(answer.data);
});

const server = app.listen(0, '127.0.0.1');
await new Promise<void>((ok) => server.once('listening', () => ok()));
server.keepAliveTimeout = 65_000;
const { port } = server.address() as AddressInfo;
serve({
  ready: { url: `http://127.0.0.1:${port}` },
  handlers: {},
  stop: () => new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  }),
});
