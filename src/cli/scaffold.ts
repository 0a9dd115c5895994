// `penghubung connector new <id>`: a connector folder from templates/connector/, its
// placeholders filled in. The result loads in the hub and passes the contract kit as it is;
// its README lists what to replace with the real upstream.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectPath } from '../schemas.js';
import { UsageError } from './usage-error.js';

/** The manifest schema's id rule: also the folder name, the URL segment and the event type prefix. */
export const connectorIdPattern = /^[a-z][a-z0-9-]{1,30}$/;

export const templateDirectory = projectPath('templates', 'connector');
const templateSuffix = '.tmpl';

export interface ScaffoldOptions {
  id: string;
  /** The folder that holds connector folders; default connectors/ of the project. */
  connectorsDirectory?: string;
  name?: string;
  owner?: string;
}

export interface ScaffoldResult {
  directory: string;
  /** Created files, relative to `directory`, with / separators, sorted. */
  files: string[];
}

/** Placeholder → value; the placeholders appear as `__KEY__` in template names and contents. */
export type Placeholders = Record<string, string>;

export function scaffoldConnector(options: ScaffoldOptions): ScaffoldResult {
  const { id } = options;
  if (!connectorIdPattern.test(id)) {
    throw new UsageError(`invalid connector id "${id}": use 2 to 31 characters, lower-case letters, digits and -, starting with a letter (${connectorIdPattern.source})`);
  }
  const name = checkText('--name', options.name ?? id.toUpperCase());
  const owner = checkText('--owner', options.owner ?? 'TODO: the OPD or institution that owns the system');
  const parent = resolve(options.connectorsDirectory ?? projectPath('connectors'));
  const directory = join(parent, id);
  if (existsSync(directory)) throw new UsageError(`${displayPath(directory)} already exists: choose another id, or remove the folder first`);

  const placeholders: Placeholders = {
    ID: id,
    NAME: name,
    OWNER: owner,
    ENV: id.toUpperCase().replaceAll('-', '_'),
    SYSTEM: id.toUpperCase(),
    SDK: moduleSpecifier(directory, projectPath('src', 'connectors', 'sdk.js')),
    // The simulator imports the SDK's simulator part: what the sandbox's simulator host loads.
    SIMULATORSDK: moduleSpecifier(directory, projectPath('src', 'connectors', 'simulator-sdk.js')),
  };

  // Written into a hidden sibling (discovery skips dot folders) and renamed into place, so a
  // failure halfway leaves no half-made connector behind.
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${id}-`));
  const files: string[] = [];
  try {
    for (const template of listTemplates(templateDirectory)) {
      const target = fill(template.slice(0, -templateSuffix.length), { ID: id }, 'path');
      const contents = fill(readFileSync(join(templateDirectory, template), 'utf8'), placeholders, kindOf(target));
      mkdirSync(dirname(join(staging, target)), { recursive: true });
      writeFileSync(join(staging, target), contents);
      files.push(target.split(sep).join('/'));
    }
    if (!insideEsmPackage(parent)) {
      // Outside an ESM package Node (and tsx) would load mapping.ts as CommonJS, with its own
      // copy of the SDK: UpstreamError would then not be the runtime's UpstreamError.
      writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
      files.push('package.json');
    }
    renameSync(staging, directory);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (existsSync(directory)) throw new UsageError(`${displayPath(directory)} already exists: choose another id, or remove the folder first`);
    throw error;
  }
  return { directory, files: files.sort() };
}

/** Template files under `root`, relative paths, those ending in .tmpl only. */
function listTemplates(root: string, under = ''): string[] {
  return readdirSync(join(root, under), { withFileTypes: true }).flatMap((entry) => {
    const path = under ? join(under, entry.name) : entry.name;
    if (entry.isDirectory()) return listTemplates(root, path);
    return entry.name.endsWith(templateSuffix) ? [path] : [];
  });
}

type FileKind = 'quoted' | 'typescript' | 'text' | 'path';

function kindOf(file: string): FileKind {
  if (/\.(json|ya?ml)$/.test(file)) return 'quoted';
  if (/\.ts$/.test(file)) return 'typescript';
  return 'text';
}

/**
 * Replaces every `__KEY__`. In JSON and YAML templates placeholders sit inside double-quoted
 * strings, so values are escaped as a JSON string's contents. In TypeScript templates the SDK's
 * module specifiers sit in a single-quoted string and the free text (NAME, OWNER) only in line
 * comments; ID, ENV and SYSTEM need no escaping anywhere. Markdown gets values as they are.
 */
export function fill(text: string, placeholders: Placeholders, kind: FileKind): string {
  return text.replace(/__([A-Z]+)__/g, (match, key: string) => {
    const value = placeholders[key];
    if (value === undefined) throw new Error(`template placeholder ${match} has no value`);
    if (kind === 'quoted') return JSON.stringify(value).slice(1, -1);
    if (kind === 'typescript' && (key === 'SDK' || key === 'SIMULATORSDK')) return value.replace(/[\\']/g, '\\$&');
    return value;
  });
}

function checkText(option: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '') throw new UsageError(`${option} must not be empty`);
  // eslint-disable-next-line no-control-regex -- exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new UsageError(`${option} must be one line of text`);
  if (trimmed.length > 200) throw new UsageError(`${option} is longer than 200 characters`);
  return trimmed;
}

/** An import specifier for `file` from a module in `fromDirectory`: relative, / separators. */
function moduleSpecifier(fromDirectory: string, file: string): string {
  const path = relative(fromDirectory, file);
  if (isAbsolute(path)) return pathToFileURL(file).href; // another drive on Windows
  const posix = path.split(sep).join('/');
  return posix.startsWith('.') ? posix : `./${posix}`;
}

/** True when the nearest package.json above `directory` declares "type": "module". */
function insideEsmPackage(directory: string): boolean {
  for (let current = directory; ; current = dirname(current)) {
    const manifest = join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(current) === current) return false;
  }
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown === '' ? '.' : shown.startsWith('..') || isAbsolute(shown) ? path : shown;
}
