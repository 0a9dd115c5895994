// For a connector's tests: one poll run as the runtime's poller (poller.ts) makes it, through the
// test's `send` (simulatorUnderTest), so each connector's tests need no loop of their own.
import type { UpstreamRequest, UpstreamResponse } from './upstream-exchange.js';

/** The polling half of a connector's inbound handler, with the whole-document `map` defineConnector gives it. */
export interface PolledHandler<Entity, Context> {
  poll?: {
    request(cursor: string | undefined, context: Context): UpstreamRequest;
    page(upstream: UpstreamResponse, cursor: string | undefined, context: Context): { native: unknown; nextCursor: string | undefined | null };
  };
  map(native: unknown, context: Context): Entity[];
}

/** One page of a run: the cursor it was asked with, the request, and the cursor it gave. */
export interface PolledPage {
  cursor: string | undefined;
  request: UpstreamRequest;
  nextCursor: string | undefined | null;
}

export interface PollRunResult<Entity> {
  /** Every page's entities, in order. */
  entities: Entity[];
  pages: PolledPage[];
  /** The last page's nextCursor (null: a whole listing was read); undefined when no page was asked. */
  last: string | undefined | null;
  /** What the poller keeps for the next run: a string nextCursor is saved, null clears it, undefined keeps it. */
  saved: string | undefined;
}

/**
 * From `cursor`, page after page, each mapped whole, until a page's nextCursor is undefined, null
 * or the cursor it was asked with, or `maxPages` pages (default 50) were read.
 */
export async function pollRun<Entity, Context>(
  handler: PolledHandler<Entity, Context>,
  send: (request: UpstreamRequest) => Promise<UpstreamResponse>,
  context: Context,
  { cursor, maxPages = 50 }: { cursor?: string; maxPages?: number } = {},
): Promise<PollRunResult<Entity>> {
  const poll = handler.poll;
  if (!poll) throw new Error('the handler does not poll');
  const run: PollRunResult<Entity> = { entities: [], pages: [], last: undefined, saved: cursor };
  let pageCursor = cursor;
  while (run.pages.length < maxPages) {
    const request = poll.request(pageCursor, context);
    const { native, nextCursor } = poll.page(await send(request), pageCursor, context);
    run.entities.push(...handler.map(native, context));
    run.pages.push({ cursor: pageCursor, request, nextCursor });
    run.last = nextCursor;
    if (nextCursor === null) run.saved = undefined;
    if (nextCursor === undefined || nextCursor === null || nextCursor === pageCursor) break;
    run.saved = pageCursor = nextCursor;
  }
  return run;
}
