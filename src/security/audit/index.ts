// The audit log (integrity and non-repudiation): a hash-chained, Ed25519-signed record of every
// exchange, with no personal data in it. docs/AUDIT.md describes it.
export { AuditLog, type AuditLogOptions, type AuditStats, type StoredAuditEntry } from './audit-log.js';
export { auditEntry, canonicalJson, digest, eventDigest, type AuditActor, type AuditEntry, type AuditFolded, type AuditInput, type AuditOutcome } from './entry.js';
export { auditHubCall, recordHubCall, type AuditRecorder, type HubCall } from './hub-call.js';
export { auditHttp, isProbe, type AuditHttpOptions } from './http.js';
export { dashboardReads, ReadSummary } from './read-summary.js';
export { KEY_FILE_ENV, loadOrCreateSigningKey, publicKeyId, signingKeyFile, type AuditLogger } from './keys.js';
export { verifyAuditStore, type AuditFinding, type AuditProblem, type VerifyOptions, type VerifyResult } from './verify.js';

/** The store's file name under the hub's dataDir. */
export const AUDIT_FILE = 'audit.db';
