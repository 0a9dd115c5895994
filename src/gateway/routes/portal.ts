// The developer portal: GET / (an introduction for OPD developers), /portal/saya (the signed-in
// application's own view: GET /v1/me and its deliveries, dead letters, subscriptions) and /portal/api (every
// operation of /openapi.json in Swagger UI, with a try-it console the developer signs in to with
// their own API key). Public: the pages hold no data, and every call made from the console still
// needs the key. Swagger UI is served from node_modules (swagger-ui-dist), never a CDN, so the
// portal works on an intranet with no internet. Files are read once, at start, and served by
// name under a strict Content-Security-Policy (no inline script, no other origin).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { Router, type Response } from 'express';
import { projectPath } from '../../schemas.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The only Swagger UI files the console page loads. */
const swaggerUiFiles = ['swagger-ui-bundle.js', 'swagger-ui.css'];

// Swagger UI's stylesheet draws its icons as data: images; everything else stays on the hub.
export const portalCsp = [
  "default-src 'self'",
  "img-src 'self' data:",
  "script-src 'self'",
  "script-src-attr 'none'",
  "base-uri 'none'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** The paths the portal answers, all public (authentication lets them through). */
export const isPortalPath = (path: string): boolean => path === '/' || path.startsWith('/portal/');

interface Asset {
  body: Buffer;
  type: string;
}

function readAssets(directory: string, names?: string[]): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const type = contentTypes[extname(entry.name)];
    if (entry.isFile() && type && (!names || names.includes(entry.name))) assets.set(entry.name, { body: readFileSync(join(directory, entry.name)), type });
  }
  return assets;
}

export function portalRoutes(directory = projectPath('src', 'gateway', 'portal')): Router {
  const own = readAssets(directory);
  const swaggerUi = readAssets(dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json')), swaggerUiFiles);
  for (const name of ['index.html', 'api.html', 'saya.html']) if (!own.has(name)) throw new Error(`${directory}/${name} is missing`);

  const send = (res: Response, asset: Asset): void => {
    res.setHeader('Content-Security-Policy', portalCsp);
    res.setHeader('Cache-Control', 'no-cache');
    res.type(asset.type).send(asset.body);
  };

  const router = Router();
  router.get('/', (_req, res) => send(res, own.get('index.html')!));
  router.get('/portal/api', (_req, res) => send(res, own.get('api.html')!));
  // "Saya" (me): the signed-in application's identity, rights, limits, deliveries, dead letters and subscriptions.
  router.get('/portal/saya', (_req, res) => send(res, own.get('saya.html')!));
  router.get('/portal/swagger-ui/:file', (req, res, next) => {
    const asset = swaggerUi.get(req.params.file);
    return asset ? send(res, asset) : next();
  });
  router.get('/portal/:asset', (req, res, next) => {
    const asset = own.get(req.params.asset);
    return asset && !asset.type.startsWith('text/html') ? send(res, asset) : next();
  });
  return router;
}
