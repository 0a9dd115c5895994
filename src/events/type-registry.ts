// Schemas of event types: `<schemaDir>/<type>.json` validates the `data` of events of that type
// (JSON Schema 2020-12). Connectors and flows add their types with canonical schemas. The
// registered schema is also what masks an event for a subscriber: whatever `dataschema` or
// `classification` the publisher wrote, the hub masks by the type.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { Classification } from '../domain/classification.js';
import { ajv, canonicalSchema, projectPath } from '../schemas.js';

export interface EventTypeSchema {
  validate: ValidateFunction;
  /** The schema document, for masking field by field. */
  schema: object;
  /** Set when the data is a canonical entity (`penduduk.v1`): masked as that entity. */
  canonical?: string;
}

export class EventTypeRegistry {
  private readonly schemas = new Map<string, EventTypeSchema>();
  private readonly levels = new Map<string, Classification>();

  static fromDirectory(dir: string): EventTypeRegistry {
    const registry = new EventTypeRegistry();
    const absolute = resolve(projectPath(), dir);
    if (!existsSync(absolute)) return registry;
    for (const file of readdirSync(absolute).filter((name) => name.endsWith('.json')).sort()) {
      const schema = JSON.parse(readFileSync(join(absolute, file), 'utf8')) as object;
      registry.register(file.slice(0, -'.json'.length), schema);
    }
    return registry;
  }

  register(type: string, schema: object): void {
    this.schemas.set(type, { validate: ajv.compile(schema), schema });
  }

  /** Registers a type whose data is a canonical entity (schemas/<name>.json). */
  registerCanonical(type: string, schemaName: string): void {
    const { validate, schema } = canonicalSchema(schemaName);
    this.schemas.set(type, { validate, schema, canonical: schemaName });
  }

  /** The classification of a type without a schema (config `events.classifications`). */
  declare(type: string, level: Classification): void {
    this.levels.set(type, level);
  }

  validatorFor(type: string): ValidateFunction | undefined {
    return this.schemas.get(type)?.validate;
  }

  schemaFor(type: string): EventTypeSchema | undefined {
    return this.schemas.get(type);
  }

  /** What a type without a schema is classified as: declared, else rahasia (fail closed). */
  classificationOf(type: string): Classification {
    return this.levels.get(type) ?? 'rahasia';
  }

  types(): string[] {
    return [...this.schemas.keys()].sort();
  }

  /** Types with a schema or a declared classification: those a right may name. */
  knownTypes(): string[] {
    return [...new Set([...this.schemas.keys(), ...this.levels.keys()])].sort();
  }
}
