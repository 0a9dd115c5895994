// `npm start`: compiles to dist/ when a source changed since the last build (tools/build.mjs),
// then runs the compiled hub in this same process, so a start pays for one Node.js boot.
import { build } from './build.mjs';

try {
  build({ ifStale: true });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
await import('../dist/src/main.js');
