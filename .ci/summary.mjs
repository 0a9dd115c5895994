// The last line of CI: `ci: <N> passed, <M> failed`, totals of vitest and Schemathesis.
//
// usage: node .ci/summary.mjs <vitest.json> <schemathesis-junit.xml> [failed step...]
// A step that failed without a failed test in its report (lint, typecheck, the smoke start, a
// report never written) counts as one failure, so the line is never "0 failed" on a red run.
// Exits 1 when anything failed.
import { existsSync, readFileSync } from 'node:fs';

const [vitestReport, junitReport, ...failedSteps] = process.argv.slice(2);

/** Vitest's JSON reporter: tests, plus files that failed before any test ran (import errors). */
function vitestTotals(path) {
  if (!existsSync(path)) return undefined;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  return { passed: report.numPassedTests, failed: report.numFailedTests + brokenFiles };
}

/** Schemathesis's JUnit report: one test case per API operation. */
function junitTotals(path) {
  if (!existsSync(path)) return undefined;
  const root = /<testsuites\b([^>]*)>/.exec(readFileSync(path, 'utf8'));
  if (!root) throw new Error(`${path}: no <testsuites> element`);
  const attribute = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root[1])?.[1] ?? 0);
  const failed = attribute('failures') + attribute('errors');
  return { passed: attribute('tests') - failed - attribute('skipped'), failed };
}

const reports = [
  { step: 'npm test', what: 'vitest', totals: vitestTotals(vitestReport) },
  { step: 'schemathesis', what: 'schemathesis', totals: junitTotals(junitReport) },
];
let passed = 0;
let failed = 0;
for (const report of reports) {
  if (report.totals) {
    passed += report.totals.passed;
    failed += report.totals.failed;
    console.log(`totals: ${report.what}: ${report.totals.passed} passed, ${report.totals.failed} failed`);
  } else if (!failedSteps.includes(report.step)) {
    console.log(`totals: ${report.what} wrote no report`);
    failed += 1;
  }
}
for (const step of failedSteps) {
  const report = reports.find((candidate) => candidate.step === step);
  if (report?.totals && report.totals.failed > 0) continue;
  console.log(`totals: step failed: ${step}`);
  failed += 1;
}
console.log(`ci: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
