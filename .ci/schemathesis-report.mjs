// Prints Schemathesis's console output for CI without what a reader of the run would misread:
// the progress redraws (cursor moves, spinners) and the pytest-like rules ("=== 3 warnings in
// 14.44s ===") that look like a test runner closing on no test. Sections start at the first rule;
// when there is none (Schemathesis crashed early) everything is printed.
//
// usage: node .ci/schemathesis-report.mjs <console-log>
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';

const rule = /^=+ (.*?) =+$/;
const lines = stripVTControlCharacters(readFileSync(process.argv[2], 'utf8')).split(/\r?\n/);
const firstSection = lines.findIndex((line) => rule.test(line.trim()));
for (const line of firstSection === -1 ? lines : lines.slice(firstSection)) {
  const heading = rule.exec(line.trim());
  // "3 warnings in 14.44s" → "3 warnings (14.44 s)": no runner-like closing phrase is left.
  const title = heading?.[1].replace(/ in ([\d.]+)s$/, ' ($1 s)').toLowerCase();
  console.log(title === undefined ? line : `-- schemathesis: ${title} --`);
}
