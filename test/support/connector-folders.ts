// Connector folders made for a test from the recording fixture connector (uji-rekaman), inside
// the project so that linked mapping.ts and simulator.ts import the SDK by a relative path.
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../../src/schemas.js';

const recording = projectPath('test', 'fixtures', 'connectors', 'uji-rekaman');

/** `root/uji-rekaman` as a folder of links to the fixture's files (discovery lists folders, not links to them). */
export function linkRecordingConnector(root: string): void {
  mkdirSync(join(root, 'uji-rekaman'));
  for (const entry of readdirSync(recording)) symlinkSync(join(recording, entry), join(root, 'uji-rekaman', entry));
}

/**
 * `root/<id>`: the fixture's manifest as `id`, changed by `edit`, beside links to `files` of the
 * fixture (none: a folder with a manifest only).
 */
export function connectorFromRecording(root: string, id: string, files: readonly string[], edit: (manifest: string) => string = (manifest) => manifest): void {
  mkdirSync(join(root, id));
  writeFileSync(join(root, id, 'manifest.yaml'), edit(readFileSync(join(recording, 'manifest.yaml'), 'utf8').replace('id: uji-rekaman', `id: ${id}`)));
  for (const file of files) symlinkSync(join(recording, file), join(root, id, file));
}

/** A classification the manifest schema does not allow: discovery refuses the folder. */
export const withUnknownClassification = (manifest: string): string => manifest.replace('classification: publik', 'classification: umum');
