// A manifest's YAML parsed once per start. The sandbox's early fork (simulator-modules.ts) reads
// every manifest before the hub loads; discovery (manifest.ts) then takes the same document
// instead of parsing the file a second time (the `yaml` package, before js-yaml, took ≈ 40 ms of a
// start's CPU for the six manifests). A document is handed over once, and only while the file still holds the
// text it was parsed from; discovery validates it whole as before.
import { readFileSync } from 'node:fs';
import { parseYaml } from '../yaml-text.js';

const kept = new Map<string, { text: string; document: unknown }>();

/** Parses `file` (throws as parseYaml does) and keeps the document for `takeManifestYaml`. */
export function parseManifestYaml(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  const document: unknown = parseYaml(text);
  kept.set(file, { text, document });
  return document;
}

/** `file`'s document: the one kept for it when the file is unchanged since, else parsed now. */
export function takeManifestYaml(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  const earlier = kept.get(file);
  kept.delete(file);
  return earlier?.text === text ? earlier.document : parseYaml(text);
}
