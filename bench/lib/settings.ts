// The benchmarks' settings from the environment (BENCH_*, listed in docs/BENCHMARKS.md "How to
// run"). A value that is not one is refused by name, where Number() would have run the benchmark
// on NaN or 0 (BENCH_DURATION=1O, BENCH_ROUNDS=) and the cast log level passed anything on.
const logLevels = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof logLevels)[number];

/** `name`'s number; `fallback` when unset (undefined without one). */
export function numberSetting(name: string, fallback: number): number;
export function numberSetting(name: string): number | undefined;
export function numberSetting(name: string, fallback?: number): number | undefined {
  const text = process.env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`${name}=${JSON.stringify(text)} is not a number`);
  return value;
}

/** BENCH_LOG_LEVEL: the hubs' log level, silent unless set (production's default is info, config/default.yaml). */
export function logLevelSetting(): LogLevel {
  const text = process.env.BENCH_LOG_LEVEL ?? 'silent';
  if (!(logLevels as readonly string[]).includes(text)) throw new Error(`BENCH_LOG_LEVEL=${JSON.stringify(text)} is none of ${logLevels.join(', ')}`);
  return text as LogLevel;
}
