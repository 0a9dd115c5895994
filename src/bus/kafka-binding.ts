// The CloudEvents Kafka protocol binding, binary content mode: every attribute becomes a
// `ce_<name>` header, `datacontenttype` becomes `content-type`, and `data` is the value.
import type { IHeaders } from 'kafkajs';
import type { CloudEvent } from '../events/cloudevent.js';
import { parseJson, stringifyJson } from '../events/json.js';

const jsonType = /^application\/(?:[\w.+-]+\+)?json(?:;|$)/i;

/** `value` is text for text and JSON data (kafkajs writes it into the record as UTF-8, with no Buffer of its own), bytes for `data_base64`. */
export function encodeBinaryEvent(event: CloudEvent): { value: Buffer | string | null; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let value: Buffer | string | null = null;
  for (const [name, attribute] of Object.entries(event)) {
    if (attribute === undefined) continue;
    if (name === 'data') {
      const contentType = event.datacontenttype ?? 'application/json';
      value = typeof attribute === 'string' && !jsonType.test(contentType) ? attribute : stringifyJson(attribute);
    } else if (name === 'data_base64') {
      value = Buffer.from(String(attribute), 'base64');
    } else if (name === 'datacontenttype') {
      headers['content-type'] = String(attribute);
    } else {
      headers[`ce_${name}`] = String(attribute);
    }
  }
  if (event.data_base64 !== undefined) headers['ce_penghubungdataencoding'] = 'base64';
  return { value, headers };
}

export function decodeBinaryEvent(value: Buffer | null, raw: IHeaders): { event: Record<string, unknown>; headers: Record<string, string> } {
  const event: Record<string, unknown> = {};
  const headers: Record<string, string> = {};
  for (const [name, header] of Object.entries(raw)) {
    if (header === undefined) continue;
    const text = (Array.isArray(header) ? header[0] : header)?.toString('utf8') ?? '';
    if (name.startsWith('ce_')) event[name.slice(3)] = text;
    else headers[name] = text;
  }
  const base64 = event.penghubungdataencoding === 'base64';
  delete event.penghubungdataencoding;
  const contentType = headers['content-type'];
  if (contentType) {
    event.datacontenttype = contentType;
    delete headers['content-type'];
  }
  if (value !== null) {
    if (base64) event.data_base64 = value.toString('base64');
    else event.data = contentType && jsonType.test(contentType) ? parseJson(value.toString('utf8')) : value.toString('utf8');
  }
  return { event, headers };
}
