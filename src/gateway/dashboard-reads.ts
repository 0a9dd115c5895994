// Which exchanges are the dashboard's own reads, folded into one audit row per operator per
// minute (security/audit/read-summary.ts): an operator signed in to the dashboard (its session
// cookie, no key or token) loading the page and its files, or refreshing the panels, which read
// lists and status only. Reading one record (a dead letter's event, a flow's steps) is an
// operator looking at data: it stays one row of its own, as does anything a key or token reads.
import type { Request, Response } from 'express';
import { dashboardHeader, sessionOf } from '../security/authenticate.js';

/** The route patterns the dashboard's refresh reads. */
const refreshRoutes = new Set([
  '/v1/connectors',
  '/v1/connectors/:id/rejected',
  '/v1/dead-letters',
  '/v1/flows',
  '/v1/subscriptions',
  '/v1/services',
  '/v1/access-requests',
  '/v1/audit/recent',
  '/v1/me',
]);
const pageRoutes = new Set(['/dashboard', '/dashboard/:asset']);

export function isDashboardRead(req: Request, res: Response): boolean {
  if ((res.locals.client as { role?: string } | undefined)?.role !== 'operator') return false;
  if (req.headers['x-api-key'] || req.headers.authorization || !sessionOf(req.headers.cookie)) return false;
  const route = req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : undefined;
  if (route === undefined) return false;
  if (pageRoutes.has(route)) return true;
  return refreshRoutes.has(route) && req.headers[dashboardHeader] === 'penghubung-dashboard';
}
