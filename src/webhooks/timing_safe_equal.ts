/**
 * Whether two byte strings are equal, in a time that depends only on their length: comparing
 * a signature byte by byte and stopping at the first difference would tell an attacker how
 * many leading bytes of a guess are right.
 *
 * Lengths are not hidden: callers compare fixed-length digests (an HMAC, or the SHA-256 of a
 * token), so the length says nothing about the secret.
 *
 * @param a One byte string.
 * @param b The other.
 * @returns `true` when both hold the same bytes.
 * @example
 * ```ts
 * timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2])); // true
 * ```
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ b[index]!;
  return difference === 0;
}
