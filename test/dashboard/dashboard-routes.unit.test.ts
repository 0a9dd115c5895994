// GET /dashboard and its assets: the right content types, a strict CSP on every answer, only the
// dashboard's own files, and a page that needs nothing from outside the hub (intranet use).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardRoutes } from '../../src/gateway/routes/dashboard.js';
import { problemHandler, routeNotFound } from '../../src/http/problem.js';
import { projectPath } from '../../src/schemas.js';

let server: Server;
let base: string;
const directory = projectPath('src', 'gateway', 'dashboard');

beforeAll(async () => {
  const app = express();
  // Stands in for authentication: the page is for operators, and this one is an operator.
  app.use((req, res, next) => {
    res.locals.client = { id: 'uji', name: 'Uji', opd: 'Diskominfo', role: req.headers['x-peran'] === 'app' ? 'app' : 'operator', clearance: 'rahasia', rights: ['*'] };
    next();
  });
  app.use(dashboardRoutes());
  app.use(routeNotFound);
  app.use(problemHandler);
  server = await new Promise((ok) => {
    const listening = app.listen(0, '127.0.0.1', () => ok(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
});

describe('dashboard routes', () => {
  it('serves nothing of the dashboard to a client that is not an operator', async () => {
    for (const path of ['/dashboard', '/dashboard/app.js']) {
      const response = await fetch(`${base}${path}`, { headers: { 'x-peran': 'app' } });
      expect(response.status, path).toBe(403);
    }
  });

  it('serves the page and each asset with its content type and a strict CSP', async () => {
    for (const [path, type] of [
      ['/dashboard', 'text/html; charset=utf-8'],
      ['/dashboard/', 'text/html; charset=utf-8'],
      ['/dashboard/app.js', 'text/javascript; charset=utf-8'],
      ['/dashboard/api.js', 'text/javascript; charset=utf-8'],
      ['/dashboard/charts.js', 'text/javascript; charset=utf-8'],
      ['/dashboard/format.js', 'text/javascript; charset=utf-8'],
      ['/dashboard/dashboard.css', 'text/css; charset=utf-8'],
      ['/dashboard/favicon.svg', 'image/svg+xml'],
      ['/favicon.ico', 'image/svg+xml'],
    ] as const) {
      const response = await fetch(`${base}${path}`);
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({ path, status: 200, type });
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'self';/);
      expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await fetch(`${base}/dashboard`, { method: 'HEAD' })).status).toBe(200);
  });

  it('serves nothing else: unknown names, other folders and traversal are 404 problems', async () => {
    for (const path of ['/dashboard/nope.js', '/dashboard/index.html', '/dashboard/..%2Froutes%2Fdashboard.ts', '/dashboard/%2E%2E/routes/dashboard.ts', '/dashboard/sub/app.js', '/dashboard/app.js.map']) {
      const response = await fetch(`${base}${path}`);
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({ path, status: 404, type: 'application/problem+json; charset=utf-8' });
    }
  });
});

describe('dashboard files', () => {
  const html = readFileSync(`${directory}/index.html`, 'utf8');
  const scripts = readdirSync(directory).filter((f) => f.endsWith('.js')).map((f) => [f, readFileSync(`${directory}/${f}`, 'utf8')] as const);

  it('loads only its own files: no CDN, no web font, no inline script or style', () => {
    const everything = [html, readFileSync(`${directory}/dashboard.css`, 'utf8'), ...scripts.map(([, s]) => s)].join('\n');
    expect(everything).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(everything).not.toMatch(/@import|@font-face|url\(/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
    for (const [, href] of html.matchAll(/(?:src|href)="([^"#]+)"/g)) expect(href).toMatch(/^\/dashboard\/[\w.-]+$/);
  });

  it('never turns hub data into HTML', () => {
    for (const [file, source] of scripts) {
      expect({ file, unsafe: /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/.test(source) }).toEqual({ file, unsafe: false });
    }
  });

  it('speaks Indonesian to operators', () => {
    const source = [html, ...scripts.map(([, s]) => s)].join('\n');
    expect(html).toMatch(/<html lang="id">/);
    for (const label of ['Status Konektor', 'Antrean Outbox', 'Surat Mati (Dead Letter)', 'Putar Ulang', 'Periksa', 'Buang', 'Terakhir berhasil', 'Terakhir gagal', 'Latensi p95', 'Tingkat galat']) {
      expect(source).toContain(label);
    }
  });
});
