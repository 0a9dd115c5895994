// The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-11, "RateLimit header
// fields for HTTP", Structured Field lists): `RateLimit-Policy` names the policy and its quota
// `q` per window `w` seconds, `RateLimit` the remaining units `r` and the seconds `t` until the
// quota is restored. The quota is what this instance enforces: the client's limit in a single
// instance, its share (shareOf) when several instances share it.
import type { Response } from 'express';
import type { RateLimitDecision } from './rate-limit.js';

export const rateLimitPolicyName = 'default';

export function setRateLimitHeaders(res: Response, decision: RateLimitDecision): void {
  res.setHeader('RateLimit-Policy', `"${rateLimitPolicyName}";q=${decision.quota};w=${decision.windowSeconds}`);
  res.setHeader('RateLimit', `"${rateLimitPolicyName}";r=${decision.remaining};t=${decision.resetSeconds}`);
}
