/**
 * Small assertion helpers over `node:assert/strict` (the standard library's assert
 * module is not available to this project).
 *
 * @module
 */
import assert from "node:assert/strict";

/** Asserts deep equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

/** Asserts that a value is truthy. */
export function assertTrue(value: unknown, message?: string): asserts value {
  assert.ok(value, message);
}

/** Asserts that `text` contains `part`. */
export function assertIncludes(text: string, part: string, message?: string): void {
  assert.ok(
    text.includes(part),
    message ?? `Expected ${JSON.stringify(text)} to contain ${JSON.stringify(part)}`,
  );
}

/** Asserts that `text` does not contain `part`. */
export function assertExcludes(text: string, part: string, message?: string): void {
  assert.ok(
    !text.includes(part),
    message ?? `Expected ${JSON.stringify(text)} not to contain ${JSON.stringify(part)}`,
  );
}

/** Asserts that `fn` throws an instance of `type` whose message contains `part`. */
export function assertThrows(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  type: new (...args: any[]) => Error,
  part = "",
): Error {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof type, `Expected ${type.name}, got ${String(error)}`);
    assertIncludes(error.message, part);
    return error;
  }
  throw new assert.AssertionError({ message: "Expected the function to throw" });
}

/** Asserts that a promise rejects with an instance of `type` whose message contains `part`. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  type: new (...args: any[]) => Error,
  part = "",
): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof type, `Expected ${type.name}, got ${String(error)}`);
    assertIncludes(error.message, part);
    return error;
  }
  throw new assert.AssertionError({ message: "Expected the promise to reject" });
}

/**
 * Waits until `check` holds (polling every 20 ms), for what a user would see happen soon
 * after an answer, e.g. a file written once the reply is out.
 *
 * @throws {Error} Naming `what` when it does not hold within `timeoutMs` (5000).
 */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
