/**
 * A persona package that cannot be used, with the file and the key at fault.
 *
 * @module
 */

/** A persona package is invalid: `message` names the file and the key. */
export class PersonaError extends Error {
  override name = "PersonaError";
  /** The file at fault (a path, or a label such as `the message`). */
  readonly file: string;
  /** The key at fault, e.g. `persona.defaults.tier`; absent for the file as a whole. */
  readonly key: string | undefined;

  /**
   * @param file The file at fault.
   * @param key The key at fault, if any.
   * @param problem What is wrong, e.g. `expected one of "heavy", "standard"…, found "fast"`.
   */
  constructor(file: string, key: string | undefined, problem: string, options?: ErrorOptions) {
    super(`${file}: ${key === undefined ? "" : `${key}: `}${problem}`, options);
    this.file = file;
    this.key = key;
  }
}
