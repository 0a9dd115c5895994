// Schemas of event types: `<schemaDir>/<type>.json` validates the `data` of events of that type
// (JSON Schema 2020-12). Connectors add their types in the connector framework.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { ajv, canonicalSchema, projectPath } from '../schemas.js';

export class EventTypeRegistry {
  private readonly validators = new Map<string, ValidateFunction>();

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
    this.validators.set(type, ajv.compile(schema));
  }

  /** Registers a type whose data is a canonical entity (schemas/<name>.json). */
  registerCanonical(type: string, schemaName: string): void {
    this.validators.set(type, canonicalSchema(schemaName).validate);
  }

  validatorFor(type: string): ValidateFunction | undefined {
    return this.validators.get(type);
  }

  types(): string[] {
    return [...this.validators.keys()].sort();
  }
}
