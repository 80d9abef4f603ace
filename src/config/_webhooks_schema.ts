// The [webhooks] section: the listener's address, its limits and one table per route.
import { z } from "zod";
import { isBareJid, normaliseBareJid, parseJid } from "../jid/mod.ts";
import { integer, oneOf, table, text } from "./_schema_parts.ts";
import { parseListenAddress } from "./listen_address.ts";
import { UNSET } from "./_unset.ts";

/** How a route's sender proves it holds the secret. */
export const SIGNATURE_SCHEMES = ["github", "standard", "bearer"] as const;

/** What a route does with a delivery: an LLM turn, or a rendered template sent as is. */
export const WEBHOOK_MODES = ["agent", "notify"] as const;

/** Paths the listener answers itself, which no route may take. */
export const RESERVED_WEBHOOK_PATHS: readonly string[] = ["/healthz", "/status", "/metrics"];

/** Where the listener binds when `listen` is not written: loopback only. */
export const DEFAULT_WEBHOOK_LISTEN = "127.0.0.1:8787";

/** Shortest `github` or `bearer` secret and admin token accepted. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/** The prefix of a Standard Webhooks secret, before the base64 key. */
export const STANDARD_SECRET_PREFIX = "whsec_";

const LISTEN = 'expected "host:port", like "127.0.0.1:8787" or "[::1]:8787"';
const PATH = 'expected a path like "/hooks/ci" (letters, digits, ".", "_", "~", "-" between "/")';
const BARE_JID = 'expected a bare JID like "alice@example.org" or a room JID';
const SECRET = `expected a secret of at least ${MIN_WEBHOOK_SECRET_LENGTH} characters ` +
  '(e.g. from "openssl rand -hex 32")';
const STANDARD_SECRET = 'expected "whsec_" followed by the base64 of a 24- to 64-byte key';

function isRoutePath(path: string): boolean {
  return /^(?:\/[A-Za-z0-9._~-]+)+$/.test(path) &&
    path.split("/").every((segment) => !/^\.+$/.test(segment));
}

/** Whether `secret` is a Standard Webhooks secret: `whsec_` and the base64 of 24–64 bytes. */
export function isStandardSecret(secret: string): boolean {
  if (!secret.startsWith(STANDARD_SECRET_PREFIX)) return false;
  const key = secret.slice(STANDARD_SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return false;
  try {
    const length = atob(key).length;
    return length >= 24 && length <= 64;
  } catch {
    return false;
  }
}

/** One `[[webhooks.routes]]` table. */
export const webhookRouteSchema = table({
  path: text(PATH).refine(isRoutePath, { error: PATH }),
  secret: text(),
  signature: z.enum(SIGNATURE_SCHEMES, { error: oneOf(SIGNATURE_SCHEMES) }),
  to: text(BARE_JID).refine(isBareJid, { error: BARE_JID }).transform((jid: string) =>
    normaliseBareJid(jid)
  ),
  mode: z.enum(WEBHOOK_MODES, { error: oneOf(WEBHOOK_MODES) }).default("agent"),
  instructions: text().optional(),
  template: text().optional(),
  rate_per_minute: integer(1, 60_000).default(60),
});

const routeSchema = webhookRouteSchema.check((context) => {
  const route = context.value;
  const issue = (path: string, message: string) =>
    context.issues.push({
      code: "custom",
      path: [path],
      message,
      input: undefined,
      continue: true,
    });
  // A secret left unset by --no-secrets is a placeholder: its form cannot be judged.
  if (route.secret !== UNSET) {
    if (route.signature === "standard" && !isStandardSecret(route.secret)) {
      issue("secret", `${STANDARD_SECRET} for signature = "standard"`);
    } else if (
      route.signature !== "standard" && route.secret.length < MIN_WEBHOOK_SECRET_LENGTH
    ) {
      issue("secret", SECRET);
    }
  }
  if (route.mode === "notify" && route.template === undefined) {
    issue("template", 'missing: required when mode is "notify" (template = "Build {{status}}")');
  }
  if (route.mode === "notify" && route.instructions !== undefined) {
    issue("instructions", 'only used when mode is "agent": remove it, or set mode = "agent"');
  }
  if (route.mode === "agent" && route.template !== undefined) {
    issue("template", 'only used when mode is "notify": remove it, or set mode = "notify"');
  }
});

const routesSchema = z.array(routeSchema, { error: "expected [[webhooks.routes]] tables" })
  .check((context) => {
    const first = new Map<string, number>();
    for (const [index, route] of context.value.entries()) {
      const message = RESERVED_WEBHOOK_PATHS.includes(route.path)
        ? `${JSON.stringify(route.path)} is answered by the listener itself`
        : first.has(route.path)
        ? `${JSON.stringify(route.path)} is already the path of webhooks.routes[${
          first.get(route.path)
        }]`
        : undefined;
      first.set(route.path, first.get(route.path) ?? index);
      if (message === undefined) continue;
      context.issues.push({
        code: "custom",
        path: [index, "path"],
        message,
        input: undefined,
        continue: true,
      });
    }
  }).default([]);

/** The `[webhooks]` table; the listener is off when the section is absent. */
export const webhooksSchema = table({
  listen: text(LISTEN).refine((value) => parseListenAddress(value) !== undefined, {
    error: LISTEN,
  }).default(DEFAULT_WEBHOOK_LISTEN),
  max_body_kb: integer(1, 65_536).default(1024),
  admin_token: text().refine(
    (token) => token === UNSET || token.length >= MIN_WEBHOOK_SECRET_LENGTH,
    { error: SECRET },
  ).optional(),
  routes: routesSchema,
});

/** Who a route may deliver to, from the rest of the config. */
export interface WebhookTargets {
  /** `agent.allowed_jids` (`"*"` for any JID of an allowed domain). */
  allowedJids: readonly string[];
  /** `agent.allowed_domains`, defaults filled (`"*"` for any). */
  allowedDomains: readonly string[];
  /** The JIDs of the `[[rooms]]` tables. */
  rooms: readonly string[];
}

/**
 * One issue per route whose `to` is neither someone the agent may talk to (the same rule as
 * for incoming messages: an allowed domain, then an allowed JID) nor a configured room.
 */
export function webhookTargetIssues(
  routes: readonly { to: string }[],
  targets: WebhookTargets,
): { path: PropertyKey[]; message: string }[] {
  const issues: { path: PropertyKey[]; message: string }[] = [];
  for (const [index, route] of routes.entries()) {
    if (targets.rooms.includes(route.to)) continue;
    const domain = parseJid(route.to).domain;
    const domainAllowed = targets.allowedDomains.includes("*") ||
      targets.allowedDomains.includes(domain);
    const jidAllowed = targets.allowedJids.includes("*") ||
      targets.allowedJids.includes(route.to);
    if (domainAllowed && jidAllowed) continue;
    const why = domainAllowed
      ? "not in agent.allowed_jids"
      : `its domain ${JSON.stringify(domain)} is not in agent.allowed_domains`;
    issues.push({
      path: ["webhooks", "routes", index, "to"],
      message: `${JSON.stringify(route.to)} is not a [[rooms]] jid, and ${why}`,
    });
  }
  return issues;
}
