// The RateLimit header fields in /openapi.json: declared once under components.headers, on every
// response of the operations that need a client (each such answer carries them, 429 included),
// and on the Problem response, which also carries Retry-After on a 429 or 503.
const draft = 'draft-ietf-httpapi-ratelimit-headers-11';

export const rateLimitHeaders = {
  'RateLimit-Policy': {
    description: `The client's quota on this instance (${draft}): \`"default";q=<requests>;w=60\`. In a cluster, the instance's share of the client's limit.`,
    schema: { type: 'string', example: '"default";q=600;w=60' },
  },
  RateLimit: {
    description: `What remains of the quota (${draft}): \`"default";r=<requests left>;t=<seconds until the quota is restored>\`.`,
    schema: { type: 'string', example: '"default";r=598;t=1' },
  },
  'Retry-After': {
    description: 'On 429 (and 503 where the hub knows): seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 0 },
  },
};

const refs = {
  'RateLimit-Policy': { $ref: '#/components/headers/RateLimit-Policy' },
  RateLimit: { $ref: '#/components/headers/RateLimit' },
};

type Response = { $ref?: string; headers?: Record<string, unknown> };
type Operation = { security?: unknown[]; responses?: Record<string, Response> };

/** Adds the RateLimit headers to the inline responses of every operation that needs a client. */
export function withRateLimitHeaders(document: object): object {
  const paths = (document as { paths: Record<string, Record<string, Operation>> }).paths;
  for (const methods of Object.values(paths)) {
    for (const operation of Object.values(methods)) {
      if (Array.isArray(operation.security) && operation.security.length === 0) continue;
      for (const response of Object.values(operation.responses ?? {})) {
        // A $ref'd response (Problem) declares the headers itself.
        if (!response.$ref) response.headers = { ...response.headers, ...refs };
      }
    }
  }
  return document;
}

/** The headers the Problem response declares. */
export const problemHeaders = { ...refs, 'Retry-After': { $ref: '#/components/headers/Retry-After' } };
