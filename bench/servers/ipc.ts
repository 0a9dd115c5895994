// The server side of a benchmark child process: it tells the parent it is ready (with its
// URLs), answers requests by id (memory, outbox backlog, ...), and stops cleanly when asked,
// so `node --cpu-prof` gets to write its profile.
export type Handler = (request: Record<string, unknown>) => unknown;

export interface Serving {
  ready: Record<string, unknown>;
  handlers: Record<string, Handler>;
  stop: () => Promise<void>;
}

export function serve(serving: Serving): void {
  if (!process.send) throw new Error('run this from a benchmark (it needs an IPC channel)');
  const send = (message: unknown): void => void process.send?.(message);
  const handlers: Record<string, Handler> = {
    memory: () => ({ ...process.memoryUsage(), uptimeS: process.uptime() }),
    // The monotonic clock V8's profiler stamps its samples with, in µs.
    clock: () => Number(process.hrtime.bigint() / 1000n),
    ...serving.handlers,
  };
  let stopping = false;
  const stop = async (code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      await serving.stop();
    } finally {
      process.exit(code);
    }
  };
  process.on('message', (raw) => {
    const message = raw as { id?: number; type?: string } & Record<string, unknown>;
    if (message.type === 'stop') {
      void stop();
      return;
    }
    const handler = message.type ? handlers[message.type] : undefined;
    Promise.resolve()
      .then(() => (handler ? handler(message) : Promise.reject(new Error(`no handler for ${String(message.type)}`))))
      .then(
        (result) => send({ id: message.id, ok: true, result }),
        (error: unknown) => send({ id: message.id, ok: false, error: (error as Error).message }),
      );
  });
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  send({ type: 'ready', pid: process.pid, ...serving.ready });
}
