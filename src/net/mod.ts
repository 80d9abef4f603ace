/**
 * The network policy for fetching URLs on a user's behalf (attachments, the `url_fetch`
 * skill): allowed schemes and hosts, refusal of private, loopback and link-local addresses,
 * and {@linkcode safeFetch}, a GET that enforces it at every redirect with timeouts and a
 * size limit.
 *
 * @module
 */

export { classifyAddress, isPrivateAddress, NON_PUBLIC_IPV4_RANGES } from "./address_policy.ts";
export type { AddressKind } from "./address_policy.ts";
export { BlockedUrlError } from "./blocked_url_error.ts";
export type { BlockedUrlErrorOptions } from "./blocked_url_error.ts";
export { checkPeerAddress, checkUrl, isHostAllowed, resolveAndCheck } from "./check_url.ts";
export { checkedGet, denoConnect } from "./checked_get.ts";
export type { CheckedGetOptions, Connected, Connector } from "./checked_get.ts";
export type {
  CheckedUrl,
  PolicyConfigKeys,
  ResolveAndCheckOptions,
  ResolvedHost,
  UrlPolicy,
} from "./check_url.ts";
export { createResolver, denoResolve } from "./resolver.ts";
export { nameServerPermissions, parseNameServer } from "./name_servers.ts";
export type { NameServer } from "./name_servers.ts";
export type { Resolver } from "./resolver.ts";
export { denoFileSink } from "./file_sink.ts";
export type { FileSink } from "./file_sink.ts";
export { safeFetch } from "./safe_fetch.ts";
export type {
  SafeFetchFileResult,
  SafeFetchInfo,
  SafeFetchOptions,
  SafeFetchResult,
} from "./safe_fetch.ts";
export { SafeFetchError } from "./safe_fetch_error.ts";
export type { SafeFetchErrorCode, SafeFetchErrorOptions } from "./safe_fetch_error.ts";
