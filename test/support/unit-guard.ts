// The `unit` vitest project (vitest.config.ts) runs without Kafka, hubs or child processes. What
// needs them calls this first, so a misplaced test fails saying where it belongs.
export function refuseInUnitProject(what: string): void {
  if (process.env.PENGHUBUNG_TEST_PROJECT !== 'unit') return;
  throw new Error(`${what} in a unit test: this is an integration test; put it under test/ named *.test.ts (not *.unit.test.ts) so the integration project runs it`);
}
