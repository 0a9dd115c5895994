// The upgrade path: versions before the state layer kept subscriptions and named pull cursors in
// `subscriptions.db`. At the first start on the state layer they move there, once; the old
// tables are then dropped, so a later start cannot bring back a subscription deleted since.
import type { Logger } from 'pino';
import type { PullCursorStore } from '../events/pull-cursors.js';
import type { DeliveryLog } from './delivery-log.js';
import type { SubscriptionStore } from './subscription-store.js';

export async function migrateLegacySubscriptions(log: DeliveryLog, store: SubscriptionStore, cursors: PullCursorStore, logger: Logger): Promise<void> {
  const legacy = log.legacy();
  let adopted = 0;
  for (const subscription of legacy.subscriptions) if (await store.adopt(subscription)) adopted++;
  for (const { client_id, consumer, cursor } of legacy.pullCursors) await cursors.adopt(client_id, consumer, cursor);
  log.dropLegacy();
  if (adopted + legacy.pullCursors.length > 0) logger.info({ subscriptions: adopted, pullCursors: legacy.pullCursors.length }, 'moved subscriptions and pull cursors from subscriptions.db to the shared control-plane state');
}
