// The SDK's pollRun: a connector test's poll run stops where the runtime's poller stops (a page's
// nextCursor undefined, null or unchanged, or the page limit) and keeps the cursor the poller would.
import { expect, it } from 'vitest';
import { pollRun, type PolledHandler, type UpstreamRequest, type UpstreamResponse } from '../../src/connectors/sdk.js';

/** A listing whose page for cursor c (none: '') holds one entity and gives `next[c]` as its nextCursor. */
function listing(next: Record<string, string | undefined | null>): { handler: PolledHandler<string, { tag: string }>; send: (request: UpstreamRequest) => Promise<UpstreamResponse> } {
  return {
    handler: {
      poll: {
        request: (cursor) => ({ method: 'GET', path: '/halaman', query: { setelah: cursor ?? '' } }),
        page: (upstream, cursor) => ({ native: upstream.body, nextCursor: next[cursor ?? ''] }),
      },
      map: (native, context) => [`${context.tag}:${String(native)}`],
    },
    send: async (request) => ({ status: 200, headers: {}, body: `halaman-${String(request.query?.setelah)}` }),
  };
}

it('reads page after page until a page gives no cursor, keeping the last one given', async () => {
  const { handler, send } = listing({ '': 'a', a: 'b', b: undefined });
  const run = await pollRun(handler, send, { tag: 'uji' });
  expect(run.entities).toEqual(['uji:halaman-', 'uji:halaman-a', 'uji:halaman-b']);
  expect(run.pages.map((page) => [page.cursor, page.nextCursor])).toEqual([[undefined, 'a'], ['a', 'b'], ['b', undefined]]);
  expect([run.last, run.saved]).toEqual([undefined, 'b']);
});

it('starts from the cursor given, and stops on a cursor that does not move', async () => {
  const { handler, send } = listing({ a: 'b', b: 'b' });
  const run = await pollRun(handler, send, { tag: 'uji' }, { cursor: 'a' });
  expect(run.pages.map((page) => page.cursor)).toEqual(['a', 'b']);
  expect([run.last, run.saved]).toEqual(['b', 'b']);
});

it('clears the kept cursor when a whole listing was read (null)', async () => {
  const { handler, send } = listing({ a: null });
  const run = await pollRun(handler, send, { tag: 'uji' }, { cursor: 'a' });
  expect([run.pages.length, run.last, run.saved]).toEqual([1, null, undefined]);
});

it('reads at most maxPages pages', async () => {
  const { handler, send } = listing({ '': 'a', a: 'b', b: 'c', c: 'd' });
  const run = await pollRun(handler, send, { tag: 'uji' }, { maxPages: 2 });
  expect([run.pages.length, run.saved]).toEqual([2, 'b']);
});
