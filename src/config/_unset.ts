/**
 * The text an absent optional secret shows as: in the printed config, and as the placeholder
 * a secret's variable gets when it is left unset (`--no-secrets`). Its own module because the
 * schema checks for it and the redaction, which reads the schema's types, writes it.
 *
 * @module
 */

/** What an unset optional secret shows as. */
export const UNSET = "(unset)";
