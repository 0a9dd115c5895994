// Types of tools/validators.mjs, for the test that compares its output with compiled validators.
export function schemaFiles(base?: string): string[];
export function validatorsSource(options: {
  vocabulary: { ajvOptions: object; addVocabulary: (instance: never) => unknown };
  openApi: { openApiAjv: (line: '3.0' | '3.1', options?: object) => unknown; openApiSchema: (line: '3.0' | '3.1') => object };
  formatsSpecifier: string;
  base?: string;
}): string;
export function writeValidators(): Promise<string>;
