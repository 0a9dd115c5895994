// Helpers for the canonical schema tests: a valid example passes, an invalid one fails with
// the expected keyword at the expected place.
import { expect } from 'vitest';
import type { ErrorObject, ValidateFunction } from 'ajv';

export function expectValid(validate: ValidateFunction, data: unknown): void {
  const valid = validate(data);
  expect(validate.errors ?? [], 'unexpected errors').toEqual([]);
  expect(valid).toBe(true);
}

/** Fails unless `data` is invalid and one error has `keyword` at `instancePath`. */
export function expectInvalid(validate: ValidateFunction, data: unknown, keyword: string, instancePath = ''): ErrorObject[] {
  expect(validate(data)).toBe(false);
  const errors = validate.errors ?? [];
  expect(errors.map((error) => `${error.keyword} ${error.instancePath}`)).toContain(`${keyword} ${instancePath}`);
  return errors;
}

/** A deep copy of `base` changed by `change`, so every case starts from the valid example. */
export function variant<T>(base: T, change: (copy: T) => void): T {
  const copy = structuredClone(base);
  change(copy);
  return copy;
}
