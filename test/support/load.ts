// Bounded concurrent posting for fault tests: remembers exactly which events were answered 202.
import { sampleEvent } from './hub.js';
import { hubFetch } from './auth.js';

export interface PostingRun {
  acknowledged: Set<string>;
  failures: number;
  done: Promise<void>;
}

/**
 * `workers` loops post events with ids `<prefix>-<worker>-<n>` until `total` were sent or
 * `shouldStop()` says so. Connection errors (a killed gateway) end that worker.
 */
export function postConcurrently(options: { url: () => string; prefix: string; workers: number; total: number; shouldStop?: () => boolean }): PostingRun {
  const acknowledged = new Set<string>();
  let sent = 0;
  const run: PostingRun = { acknowledged, failures: 0, done: Promise.resolve() };
  const worker = async (index: number): Promise<void> => {
    for (let n = 0; ; n++) {
      if (sent >= options.total || options.shouldStop?.()) return;
      sent++;
      const id = `${options.prefix}-${index}-${n}`;
      try {
        const response = await hubFetch(`${options.url()}/v1/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/cloudevents+json' },
          body: JSON.stringify(sampleEvent(id, { subject: `kunci-${n % 50}` })),
        });
        await response.arrayBuffer();
        if (response.status === 202) acknowledged.add(id);
        else run.failures++;
      } catch {
        run.failures++;
        return;
      }
    }
  };
  run.done = Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i))).then(() => undefined);
  return run;
}
