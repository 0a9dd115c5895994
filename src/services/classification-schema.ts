// A service's declared classification (JSON pointer → level, `*` for any key or array index) as
// the JSON Schema the hub's masking reads (x-classification on each field), so a service's
// answers and the events it emits are masked by the one masking code, never a second one.
// Unlisted fields stay without a level, which masking treats as rahasia (fail closed).
import { classificationRank, isClassification, type Classification } from '../domain/classification.js';

interface Node {
  type?: readonly string[];
  properties?: Record<string, Node>;
  additionalProperties?: Node;
  items?: Node;
  'x-classification'?: Classification;
}

export function classificationSchema(classification: Record<string, Classification>): object {
  const root: Node = {};
  for (const [pointer, level] of Object.entries(classification)) {
    if (pointer === '' || !pointer.startsWith('/')) continue;
    let node = root;
    for (const token of pointer.slice(1).split('/').map(unescape)) node = childOf(node, token);
    // Fail closed: a level outside the three is rahasia, and the strictest of two declarations wins.
    node['x-classification'] = stricter(node['x-classification'], isClassification(level) ? level : 'rahasia');
  }
  return root;
}

/** Any JSON value: a pointer classifies fields where the value has them, and constrains nothing (ajv's strict mode wants the types said). */
const anyValue = ['object', 'array', 'string', 'number', 'boolean', 'null'] as const;

function childOf(node: Node, token: string): Node {
  node.type = anyValue;
  if (token === '*') {
    // One node for any key and any index: `/items/*/nik` reads an array or a map alike.
    node.additionalProperties ??= node.items ?? {};
    node.items = node.additionalProperties;
    return node.additionalProperties;
  }
  node.properties ??= {};
  node.properties[token] ??= {};
  return node.properties[token];
}

const stricter = (a: Classification | undefined, b: Classification): Classification => (a === undefined || classificationRank(b) > classificationRank(a) ? b : a);
const unescape = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');
