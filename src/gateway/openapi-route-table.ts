// The routes /openapi.json documents, as a table the gateway checks requests against: which
// operation a method and path name (so its query is validated from the documented parameters),
// and which methods a documented path allows (405 with Allow for the others). Built once per
// document: the document is rebuilt when an OPD service changes, and the table with it.
export interface DocumentedParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: object;
}

export interface DocumentedOperation {
  operationId?: string;
  parameters?: DocumentedParameter[];
  /** The query is passed on to an upstream that documents its own (OPD services): not closed here. */
  'x-penghubung-open-query'?: boolean;
}


const httpMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

interface Entry {
  /** Upper-case method → operation; HEAD answers wherever GET does. */
  methods: Map<string, DocumentedOperation>;
  segments: (string | null)[];
  literals: number;
}

export class OpenApiRouteTable {
  private static readonly built = new WeakMap<object, OpenApiRouteTable>();
  private readonly entries: Entry[];

  private constructor(readonly document: { paths?: Record<string, Record<string, unknown>>; components?: object }) {
    this.entries = Object.entries(document.paths ?? {}).map(([template, item]) => {
      const methods = new Map<string, DocumentedOperation>();
      for (const [method, operation] of Object.entries(item)) if (httpMethods.has(method)) methods.set(method.toUpperCase(), operation as DocumentedOperation);
      if (methods.has('GET') && !methods.has('HEAD')) methods.set('HEAD', methods.get('GET')!);
      const segments = template.split('/').slice(1).map((segment) => (/^\{[^}]+\}$/.test(segment) ? null : segment));
      return { methods, segments, literals: segments.filter((segment) => segment !== null).length };
    });
    // The most literal template first: /v1/dead-letters/replay before /v1/dead-letters/{id}.
    this.entries.sort((a, b) => b.literals - a.literals);
  }

  static of(document: object): OpenApiRouteTable {
    let table = OpenApiRouteTable.built.get(document);
    if (!table) OpenApiRouteTable.built.set(document, (table = new OpenApiRouteTable(document)));
    return table;
  }

  /**
   * What the document says of a method on a path (a trailing slash ignored, as express does):
   * the operation, or the methods the path allows when none of its templates has this one, or
   * nothing when no template matches.
   */
  match(method: string, path: string): { operation: DocumentedOperation } | { allowed: string[] } | undefined {
    const segments = (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).split('/').slice(1);
    const candidates = this.entries.filter((entry) => entry.segments.length === segments.length && entry.segments.every((literal, index) => (literal === null ? segments[index] !== '' : literal === segments[index])));
    if (candidates.length === 0) return undefined;
    for (const candidate of candidates) {
      const operation = candidate.methods.get(method);
      if (operation) return { operation };
    }
    return { allowed: [...new Set(candidates.flatMap((candidate) => [...candidate.methods.keys()]))] };
  }
}
