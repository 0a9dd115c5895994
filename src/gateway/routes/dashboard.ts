// GET /dashboard: the operators' page (Diskominfo), static HTML, CSS and ES modules from
// src/gateway/dashboard/ with nothing fetched from outside the hub, so it works on an intranet
// with no internet. The page reads the status, dead-letter and health APIs and refreshes itself.
// The files are read once, at start; only those are served, by name, under a strict
// Content-Security-Policy (no inline script or style, no other origin).
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { Router, type Response } from 'express';
import { projectPath } from '../../schemas.js';
import { requireOperator } from '../../security/authorize.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export const dashboardCsp = [
  "default-src 'self'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
}

export function dashboardRoutes(directory = projectPath('src', 'gateway', 'dashboard')): Router {
  const assets = new Map<string, Asset>();
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const type = contentTypes[extname(entry.name)];
    if (entry.isFile() && type) assets.set(entry.name, { body: readFileSync(join(directory, entry.name)), type });
  }
  const page = assets.get('index.html');
  if (!page) throw new Error(`${directory}/index.html is missing`);

  const send = (res: Response, asset: Asset): void => {
    res.setHeader('Content-Security-Policy', dashboardCsp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    res.type(asset.type).send(asset.body);
  };

  const router = Router();
  router.get('/dashboard', requireOperator, (_req, res) => send(res, page));
  // Browsers ask for /favicon.ico on pages that name no icon: the hub's icon, not a 401.
  const icon = assets.get('favicon.svg');
  if (icon) router.get('/favicon.ico', (_req, res) => send(res, icon));
  router.get('/dashboard/:asset', (req, res, next) => {
    const asset = req.params.asset === 'index.html' ? undefined : assets.get(req.params.asset);
    if (!asset) return next();
    // Operators only; the sign-in page's own assets are served by the security routes. The icon
    // holds nothing and the sign-in page shows it too, so it is no 401 in the browser's console.
    if (req.params.asset === 'favicon.svg') return send(res, asset);
    requireOperator(req, res, () => send(res, asset));
  });
  return router;
}
