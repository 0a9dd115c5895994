// Bounded waiting for asynchronous test conditions: every wait has a deadline and says what it
// was waiting for when it gives up, so a stuck consumer fails a test instead of hanging it.

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `predicate` until it returns true; throws after `timeoutMs`. `what` describes the
 * condition (a function is evaluated at timeout, so it can report the state reached so far).
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string | (() => string) = 'condition',
  intervalMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() >= deadline) {
      const description = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    }
    await sleep(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
  }
}

/** Waits for the clock to enter the next millisecond, and returns it (Date.now()). */
export async function nextMillisecond(): Promise<number> {
  const start = Date.now();
  await waitFor(() => Date.now() > start, 1000, 'the next millisecond', 1);
  return Date.now();
}
