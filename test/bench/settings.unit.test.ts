// The benchmarks' settings from the environment (bench/lib/settings.ts): a knob that is not a
// number, or a log level that is none, stops the benchmark naming it, where Number() and a cast
// ran it on NaN, 0 or anything.
import { afterEach, describe, expect, it } from 'vitest';
import { logLevelSetting, numberSetting } from '../../bench/lib/settings.js';

const names = ['BENCH_TEST_KNOB', 'BENCH_LOG_LEVEL'];
const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of names) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe('numberSetting', () => {
  it('reads a number, and falls back only when the knob is unset', () => {
    delete process.env.BENCH_TEST_KNOB;
    expect(numberSetting('BENCH_TEST_KNOB', 10)).toBe(10);
    expect(numberSetting('BENCH_TEST_KNOB')).toBeUndefined();
    process.env.BENCH_TEST_KNOB = '2.5';
    expect(numberSetting('BENCH_TEST_KNOB', 10)).toBe(2.5);
    process.env.BENCH_TEST_KNOB = '0';
    expect(numberSetting('BENCH_TEST_KNOB', 10)).toBe(0);
  });

  it('refuses what is not a number, naming the knob', () => {
    for (const text of ['1O', '', ' ', 'Infinity', 'ten']) {
      process.env.BENCH_TEST_KNOB = text;
      expect(() => numberSetting('BENCH_TEST_KNOB', 10)).toThrow(`BENCH_TEST_KNOB=${JSON.stringify(text)} is not a number`);
    }
  });
});

describe('logLevelSetting', () => {
  it('is silent unless set, and takes a log level', () => {
    delete process.env.BENCH_LOG_LEVEL;
    expect(logLevelSetting()).toBe('silent');
    process.env.BENCH_LOG_LEVEL = 'info';
    expect(logLevelSetting()).toBe('info');
  });

  it('refuses what is no log level', () => {
    process.env.BENCH_LOG_LEVEL = 'INFO';
    expect(() => logLevelSetting()).toThrow('BENCH_LOG_LEVEL="INFO" is none of silent, fatal, error, warn, info, debug, trace');
  });
});
