// The resilience kit: deadlines, retries with jitter, bulkheads (cockatiel), the circuit
// breaker (opossum) and the daily-quota gate. Every caller in the hub uses these.
export * from './policies.js';
export * from './circuit.js';
export * from './quota.js';
