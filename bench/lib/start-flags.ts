// The node flags `npm start` gives the hub, so a benchmark runs the hub with the heap settings
// production has; read from package.json in one place for every starter (tools/start-flags.ts).
export { startNodeFlags } from '../../tools/start-flags.js';
