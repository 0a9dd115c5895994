#!/usr/bin/env node
// `npx penghubung <command>`: registers tsx (the hub runs from its TypeScript sources, as
// `npm start` does) and hands the arguments to src/cli/main.ts. `penghubung help` lists commands.
import { register } from 'tsx/esm/api';

register();

const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// `start` keeps running until a signal; every other command ends here, even if a module it
// loaded left a handle open.
if (code !== 'running') process.exit(code);
