// Which fields of a JSON Schema carry no x-classification. Masking treats such a field as
// rahasia; discovery and `connector check` refuse a connector schema that has one, naming the
// JSON pointer, so an author finds out before a subscriber does.
import { CLASSIFICATION_KEYWORD, isClassification } from '../domain/classification.js';

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const escape = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON pointers (into the schema document) of every field declared without a valid classification. */
export function unclassifiedFields(schema: object): string[] {
  const found: string[] = [];
  const field = (node: unknown, pointer: string): void => {
    if (!isNode(node)) return;
    if (!isClassification(node[CLASSIFICATION_KEYWORD])) found.push(pointer);
    walk(node, pointer);
  };
  const walk = (node: Node, pointer: string): void => {
    for (const keyword of ['properties', 'patternProperties'] as const) {
      for (const [name, sub] of Object.entries(isNode(node[keyword]) ? node[keyword] : {})) field(sub, `${pointer}/${keyword}/${escape(name)}`);
    }
    for (const keyword of ['additionalProperties', 'unevaluatedProperties', 'items', 'contains', 'unevaluatedItems'] as const) {
      if (isNode(node[keyword])) field(node[keyword], `${pointer}/${keyword}`);
    }
    if (Array.isArray(node.prefixItems)) node.prefixItems.forEach((sub, i) => field(sub, `${pointer}/prefixItems/${i}`));
    // Subschemas that describe the same value: the fields they mention must be classified too.
    for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
      if (Array.isArray(node[keyword])) node[keyword].forEach((sub, i) => isNode(sub) && walk(sub, `${pointer}/${keyword}/${i}`));
    }
    for (const keyword of ['not', 'if', 'then', 'else'] as const) if (isNode(node[keyword])) walk(node[keyword], `${pointer}/${keyword}`);
    for (const keyword of ['$defs', 'dependentSchemas'] as const) {
      for (const [name, sub] of Object.entries(isNode(node[keyword]) ? node[keyword] : {})) if (isNode(sub)) walk(sub, `${pointer}/${keyword}/${escape(name)}`);
    }
  };
  walk(schema as Node, '');
  return found;
}
