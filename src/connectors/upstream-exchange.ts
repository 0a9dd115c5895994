// One exchange with an upstream system as connectors describe it, and how it travels as HTTP:
// bodies encoded and answers decoded the same way for every connector, by the runtime's client
// (upstream-client.ts) and by a connector's tests against its simulator (testing.ts).
import { parseJson, stringifyJson } from '../events/json.js';
import { parseXml } from './xml.js';
import { UpstreamError } from './upstream-error.js';

export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the upstream base URL, e.g. `/dukcapil/get_json/PESAWARAN/CALL_NIK`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: { json: unknown } | { xml: string } | { form: Record<string, string | number> };
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON parsed losslessly (big integers as LosslessNumber), XML by the hardened parser, else the text. */
  body: unknown;
}

const accept = 'application/json, application/xml;q=0.9, */*;q=0.1';
const contentTypes = { json: 'application/json', xml: 'text/xml; charset=utf-8', form: 'application/x-www-form-urlencoded' } as const;
type BodyKind = keyof typeof contentTypes;

/**
 * The headers of a request that names none, per body kind: built once and never changed (axios
 * and fetch copy what they are given). Spelled as axios's defaults spelled them on the wire.
 */
const plainHeaders: Readonly<Record<BodyKind | 'none', Readonly<Record<string, string>>>> = {
  none: Object.freeze({ Accept: accept }),
  json: Object.freeze({ Accept: accept, 'Content-Type': contentTypes.json }),
  xml: Object.freeze({ Accept: accept, 'Content-Type': contentTypes.xml }),
  form: Object.freeze({ Accept: accept, 'Content-Type': contentTypes.form }),
};

/** The request's headers and body as sent: a body's content type unless the request names one, in whatever case. */
export function encodeRequest(request: UpstreamRequest): { headers: Readonly<Record<string, string>>; data: string | undefined } {
  let kind: BodyKind | undefined;
  let data: string | undefined;
  if (request.body && 'json' in request.body) {
    kind = 'json';
    data = stringifyJson(request.body.json);
  } else if (request.body && 'xml' in request.body) {
    kind = 'xml';
    data = request.body.xml;
  } else if (request.body && 'form' in request.body) {
    kind = 'form';
    data = new URLSearchParams(Object.entries(request.body.form).map(([k, v]) => [k, String(v)])).toString();
  }
  const plain = plainHeaders[kind ?? 'none'];
  if (!request.headers) return { headers: plain, data };
  const headers: Record<string, string> = { ...plain };
  // A header the request names replaces the default's value under the default's spelling, as axios's caseless merge did.
  for (const [name, value] of Object.entries(request.headers)) headers[Object.keys(plain).find((known) => known.toLowerCase() === name.toLowerCase()) ?? name] = value;
  return { headers, data };
}

/** JSON losslessly, XML through the hardened parser, else the text; sniffed when unlabelled. */
export function decodeBody(text: string, contentType: string | undefined): unknown {
  const type = (contentType ?? '').toLowerCase();
  const trimmed = text.trimStart();
  try {
    if (/json/.test(type) || (!/xml|html/.test(type) && /^[[{]/.test(trimmed))) return parseJson(text);
    if (/xml/.test(type) || (!/html/.test(type) && /^<(\?xml|[a-zA-Z])/.test(trimmed))) return parseXml(text);
  } catch (error) {
    throw new UpstreamError('upstream-bad-response', `the upstream answer is not what it claims to be: ${(error as Error).message}`);
  }
  return text;
}
