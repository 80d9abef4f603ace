// Building blocks of the config schema, shared by its sections. Every message a user can see
// starts with "expected …": the loader appends what it found.
import { z } from "zod";

/** `expected one of "a", "b"`. */
export function oneOf(values: readonly string[]): string {
  return `expected one of ${values.map((value) => JSON.stringify(value)).join(", ")}`;
}

/** An integer of at least `min` (and at most `max`). */
export function integer(min: number, max?: number) {
  const error = max === undefined
    ? `expected an integer of at least ${min}`
    : `expected an integer from ${min} to ${max}`;
  const base = z.number({ error }).int({ error }).min(min, { error });
  return max === undefined ? base : base.max(max, { error });
}

/** A non-empty string. */
export function text(error = "expected a non-empty string") {
  return z.string({ error }).min(1, { error });
}

/** `true` or `false`. */
export const bool = () => z.boolean({ error: "expected true or false" });

/** A TOML table whose unknown keys are errors. */
export function table<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: "expected a table" });
}
