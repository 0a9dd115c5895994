// XML in and out of the hub, hardened: no DOCTYPE (so no entity tricks: billion laughs, XXE),
// a size limit, a nesting limit, and values kept as text so identifiers keep their digits and
// leading zeros. Attributes appear as `@name`.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { HubError } from '../errors/catalogue.js';

export interface XmlLimits {
  maxBytes: number;
  maxDepth: number;
}

export const defaultXmlLimits: Readonly<XmlLimits> = { maxBytes: 1024 * 1024, maxDepth: 32 };
const shared = { ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text' } as const;

/**
 * The reading options of parseXml's parser (bench/translation.ts parses its baseline with the
 * same). `jPath: false`: no callback here reads an element's path, so the parser need not write
 * each path out as a string (≈ 10% of a parse).
 */
export const xmlReadOptions = (maxDepth: number) =>
  ({ ...shared, parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: false, trimValues: true, maxNestedTags: maxDepth, ignoreDeclaration: true, ignorePiTags: true, jPath: false }) as const;

const parsers = new Map<number, XMLParser>();

export function parseXml(text: string, limits: Partial<XmlLimits> = {}): Record<string, unknown> {
  const { maxBytes, maxDepth } = { ...defaultXmlLimits, ...limits };
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new HubError('body-too-large', `XML larger than ${maxBytes} bytes`);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new HubError('xml-forbidden', 'XML with a DOCTYPE or ENTITY declaration is refused');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new HubError('body-invalid-xml', `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  let parser = parsers.get(maxDepth);
  if (!parser) {
    parser = new XMLParser(xmlReadOptions(maxDepth));
    parsers.set(maxDepth, parser);
  }
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    const message = (error as Error).message;
    throw new HubError(/nest/i.test(message) ? 'xml-forbidden' : 'body-invalid-xml', message);
  }
}

const builder = new XMLBuilder({ ...shared, format: false, suppressEmptyNode: true, suppressBooleanAttributes: false });

/** Builds XML from the same shape parseXml gives (attributes as `@name`), with a declaration. */
export function buildXml(document: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(document) as string}`;
}
