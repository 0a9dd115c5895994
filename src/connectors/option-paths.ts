// Upstream paths a deployment may move: a connector names each path, ships its default, and
// reads the manifest's `options.jalur.<name>` (which config `connectors.options.<id>` can
// override per deployment) before filling the `{placeholders}`.
/** The path `name` from `context.options.jalur` (or `defaults`), placeholders filled and URL-encoded. */
export function pathOf<Name extends string>(context: { options?: Record<string, unknown> }, name: Name, defaults: Readonly<Record<Name, string>>, values: Record<string, string> = {}): string {
  const jalur = context.options?.jalur;
  const configured = jalur !== null && typeof jalur === 'object' ? (jalur as Record<string, unknown>)[name] : undefined;
  const template = typeof configured === 'string' && configured.startsWith('/') ? configured : defaults[name];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? encodeURIComponent(values[key]!) : whole));
}
