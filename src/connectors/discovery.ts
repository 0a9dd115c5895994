// Finds connectors/<id>/ folders at start: each has manifest.yaml and mapping.ts, and may have
// simulator.ts. The manifest and the mapping must agree operation for operation.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { moduleUrl } from '../module-file.js';
import { canonicalSchema, projectPath, registerSchemaDirectory } from '../schemas.js';
import { unclassifiedFields } from '../security/schema-classification.js';
import { connectorFolders, simulatorModuleOf } from './connector-folders.js';
import { ManifestError, readManifest, type ConnectorManifest } from './manifest.js';
import type { ConnectorDefinition, StartSimulator } from './sdk.js';
import type { SimulatorModule } from './simulator-kit/process.js';

export interface LoadedConnector {
  manifest: ConnectorManifest;
  definition: ConnectorDefinition;
  directory: string;
  /** Starts the sandbox simulator in this process (imported on first use, not at discovery). */
  startSimulator?: StartSimulator;
  /** simulator.ts as this hub runs it (source or compiled), for a simulator in a child process. */
  simulatorModule?: SimulatorModule;
}

const handlerGroups = { query: 'queries', inbound: 'inbound', outbound: 'outbound' } as const;

/**
 * Every connector folder under `root`. A folder that fails to load stops discovery (the error
 * names the file and the field) unless `skip` is given: then it is handed the folder and the
 * error, and the other connectors load.
 */
export async function discoverConnectors(root = projectPath('connectors'), skip?: (folder: string, error: Error) => void): Promise<LoadedConnector[]> {
  if (!existsSync(root)) return [];
  const folders = connectorFolders(root);
  const connectors: LoadedConnector[] = [];
  for (const folder of folders) {
    try {
      connectors.push(await loadConnector(join(root, folder)));
    } catch (error) {
      if (!skip) throw error;
      skip(folder, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return connectors;
}

export async function loadConnector(directory: string): Promise<LoadedConnector> {
  const inProject = relative(projectPath(), directory);
  const displayName = inProject && !inProject.startsWith('..') ? inProject : directory;
  const manifestFile = join(directory, 'manifest.yaml');
  if (!existsSync(manifestFile)) throw new ManifestError(`${displayName}/manifest.yaml: missing; a connector folder needs manifest.yaml`, `${displayName}/manifest.yaml`);
  const manifest = readManifest(manifestFile, `${displayName}/manifest.yaml`);
  const folder = directory.split(/[\\/]/).pop();
  if (manifest.id !== folder) throw new ManifestError(`${displayName}/manifest.yaml: /id: must equal the folder name "${folder}", not "${manifest.id}"`, `${displayName}/manifest.yaml`, [{ pointer: '/id', message: `must equal the folder name "${folder}"`, allowed: [folder] }]);

  registerSchemaDirectory(join(directory, 'schemas'));
  for (const [operationId, operation] of Object.entries(manifest.operations)) {
    const field = operation.kind === 'query' ? 'output' : 'schema';
    const schemaName = operation.kind === 'query' ? operation.output : operation.schema;
    try {
      canonicalSchema(schemaName);
    } catch {
      throw new ManifestError(`${displayName}/manifest.yaml: /operations/${operationId}/${field}: no canonical schema ${schemaName} in schemas/ or ${folder}/schemas/`, `${displayName}/manifest.yaml`, [{ pointer: `/operations/${operationId}/${field}`, message: `no canonical schema ${schemaName}` }]);
    }
  }
  refuseUnclassified(directory, displayName, manifest);

  const mappingFile = join(directory, 'mapping.ts');
  if (!existsSync(mappingFile)) throw new ManifestError(`${displayName}/mapping.ts: missing; a connector folder needs mapping.ts (npx penghubung connector new writes one)`, `${displayName}/mapping.ts`);
  const definition = ((await import(moduleUrl(mappingFile))) as { default?: ConnectorDefinition }).default;
  if (!definition || typeof definition !== 'object') throw new ManifestError(`${displayName}/mapping.ts: must export default defineConnector({...})`);

  for (const [operationId, operation] of Object.entries(manifest.operations)) {
    if (operation.kind === 'view' || operation.kind === 'command') continue;
    const group = handlerGroups[operation.kind];
    if (!definition[group]?.[operationId]) throw new ManifestError(`${displayName}/mapping.ts: ${group}.${operationId}: missing; the manifest declares it as ${operation.kind}`);
    const handler = operation.kind === 'inbound' ? definition.inbound?.[operationId] : undefined;
    if (handler && (handler.records === undefined) !== (handler.mapRecord === undefined)) {
      throw new ManifestError(`${displayName}/mapping.ts: inbound.${operationId}: records and mapRecord go together`);
    }
    if (operation.kind === 'inbound' && operation.modes.includes('poll') && !handler?.poll) {
      throw new ManifestError(`${displayName}/mapping.ts: inbound.${operationId}.poll: missing; the manifest declares mode poll`);
    }
  }
  for (const group of Object.values(handlerGroups)) {
    for (const operationId of Object.keys(definition[group] ?? {})) {
      const declared = manifest.operations[operationId];
      if (!declared || !(declared.kind in handlerGroups) || handlerGroups[declared.kind as keyof typeof handlerGroups] !== group) {
        throw new ManifestError(`${displayName}/manifest.yaml: /operations/${operationId}: mapping.ts defines ${group}.${operationId} but the manifest does not declare it`, `${displayName}/manifest.yaml`, [{ pointer: `/operations/${operationId}`, message: 'missing' }]);
      }
    }
  }

  // Imported only when started here: a hub that runs its simulators in child processes never
  // loads them (nor their data).
  const simulatorFile = join(directory, 'simulator.ts');
  if (!existsSync(simulatorFile)) return { manifest, definition, directory };
  const startSimulator: StartSimulator = async (options) => {
    const start = ((await import(moduleUrl(simulatorFile))) as { startSimulator?: StartSimulator }).startSimulator;
    if (typeof start !== 'function') throw new ManifestError(`${displayName}/simulator.ts: must export startSimulator (built with serveSimulator)`);
    return start(options);
  };
  return { manifest, definition, directory, startSimulator, simulatorModule: simulatorModuleOf(directory, manifest.id) };
}

/**
 * Masking treats an unclassified field as rahasia; a connector whose schemas leave one
 * unclassified is refused here, so its author learns which field, not a subscriber.
 */
function refuseUnclassified(directory: string, displayName: string, manifest: ConnectorManifest): void {
  const own = join(directory, 'schemas');
  const files = new Map<string, string>();
  if (existsSync(own)) for (const file of readdirSync(own).filter((name) => name.endsWith('.json')).sort()) files.set(join(own, file), `${displayName}/schemas/${file}`);
  for (const operation of Object.values(manifest.operations)) {
    const name = operation.kind === 'query' ? operation.output : operation.schema;
    const shared = projectPath('schemas', `${name}.json`);
    if (existsSync(shared) && !existsSync(join(own, `${name}.json`))) files.set(shared, `schemas/${name}.json`);
  }
  for (const [file, shown] of files) {
    const missing = unclassifiedFields(JSON.parse(readFileSync(file, 'utf8')) as object);
    if (missing.length > 0) throw new ManifestError(`${shown}: fields without x-classification (publik, terbatas or rahasia): ${missing.slice(0, 10).map((pointer) => `#${pointer}`).join(', ')}`);
  }
}
