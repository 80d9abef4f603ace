// The [webhooks] section through the whole loader: validation, secrets, check, permissions.
import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { ConfigError } from "./config_error.ts";
import { formatEffectiveConfig } from "./format_effective_config.ts";
import { loadConfig } from "./load_config.ts";
import { permissionFlags } from "./permission_flags.ts";
import { redactConfig } from "./redact_config.ts";
import { fixtureOptions, loadToml, MINIMAL_TOML, rejection } from "./_testing.ts";
import example from "../../config/agent.example.toml" with { type: "text" };

const BASE = `${MINIMAL_TOML}
[agent]
allowed_jids = ["alice@localhost"]

[[rooms]]
jid = "dev@conference.localhost"
`;

const CI_SECRET = "ci-secret-0123456789";
const ADMIN_TOKEN = "admin-token-0123456789";

const WEBHOOKS = `${BASE}
[webhooks]
admin_token = "\${FLUUX_ADMIN_TOKEN}"

[[webhooks.routes]]
path = "/hooks/ci"
secret = "\${CI_HOOK_SECRET}"
signature = "github"
to = "Alice@Localhost"
instructions = "Summarise the build result in one line."

[[webhooks.routes]]
path = "/hooks/deploy"
secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
signature = "standard"
to = "dev@conference.localhost"
mode = "notify"
template = "Deployed {{version}}"
rate_per_minute = 5
`;

const ENV = { CI_HOOK_SECRET: CI_SECRET, FLUUX_ADMIN_TOKEN: ADMIN_TOKEN };

function route(lines: string): string {
  return `${BASE}\n[webhooks]\n\n[[webhooks.routes]]\n${lines}\n`;
}

async function problems(toml: string): Promise<string[]> {
  const error = await rejection(loadToml(toml, { env: ENV }));
  assert.ok(error instanceof ConfigError, String(error));
  return error.issues.map((issue) => `${issue.key}: ${issue.message}`);
}

Deno.test("loadConfig() leaves the webhook listener off without a [webhooks] section", async () => {
  const loaded = await loadToml(BASE);
  assert.equal(loaded.config.webhooks, undefined);
  assert.ok(!netGrants(permissionFlags(loaded)).some((grant) => grant.endsWith(":8787")));
  assert.match(
    formatEffectiveConfig(loaded),
    /^# Webhook listener: off \(no \[webhooks\] section\)$/m,
  );
});

Deno.test("loadConfig() reads [webhooks] with its defaults: loopback, 1024 KiB, 60 a minute, agent mode", async () => {
  const loaded = await loadToml(WEBHOOKS, { env: ENV });
  assert.deepEqual(loaded.config.webhooks, {
    listen: "127.0.0.1:8787",
    max_body_kb: 1024,
    admin_token: ADMIN_TOKEN,
    routes: [
      {
        path: "/hooks/ci",
        secret: CI_SECRET,
        signature: "github",
        to: "alice@localhost",
        mode: "agent",
        instructions: "Summarise the build result in one line.",
        rate_per_minute: 60,
      },
      {
        path: "/hooks/deploy",
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        signature: "standard",
        to: "dev@conference.localhost",
        mode: "notify",
        template: "Deployed {{version}}",
        rate_per_minute: 5,
      },
    ],
  });
});

Deno.test("loadConfig() counts route secrets and the admin token as secrets, and check hides them", async () => {
  const loaded = await loadToml(WEBHOOKS, { env: ENV });
  for (const secret of [CI_SECRET, ADMIN_TOKEN, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]) {
    assert.ok(loaded.secrets.includes(secret), secret);
  }
  const text = formatEffectiveConfig(loaded);
  assert.ok(!text.includes(CI_SECRET) && !text.includes(ADMIN_TOKEN) && !text.includes("MfKQ9"));
  assert.match(
    text,
    /^# Webhook listener: http:\/\/127\.0\.0\.1:8787 \(routes: \/hooks\/ci, \/hooks\/deploy\)$/m,
  );
  const reparsed = parse(text) as {
    webhooks: { admin_token: string; routes: { secret: string }[] };
  };
  assert.equal(reparsed.webhooks.admin_token, "********");
  assert.deepEqual(reparsed.webhooks.routes.map((r) => r.secret), ["********", "********"]);
  assert.equal(redactConfig(loaded.config).webhooks?.routes[0]?.secret, "********");
});

Deno.test("loadConfig() treats a variable used by a route secret as a secret under --no-secrets", async () => {
  const loaded = await loadConfig(
    "config/agent.toml",
    {
      ...fixtureOptions({
        files: {
          "/srv/agent/config/agent.toml": route(
            'path = "/hooks/ci"\nsecret = "${HOOK}"\nsignature = "standard"\nto = "alice@localhost"',
          ),
        },
      }),
      allowUnsetSecrets: true,
    },
  );
  assert.deepEqual(loaded.unsetSecrets.map((unset) => unset.variable), ["HOOK"]);
  assert.equal(loaded.config.webhooks?.routes[0]?.secret, "(unset)");
});

function netGrants(flags: string[]): string[] {
  return flags[0]!.replace(/^--allow-net=/, "").split(",");
}

Deno.test("permissionFlags() adds the listen address to --allow-net", async () => {
  const loaded = await loadToml(WEBHOOKS, { env: ENV });
  assert.ok(netGrants(permissionFlags(loaded)).includes("127.0.0.1:8787"));
  const v6 = await loadToml(`${BASE}\n[webhooks]\nlisten = "[::1]:9000"\n`);
  assert.ok(netGrants(permissionFlags(v6)).includes("[::1]:9000"));
  const open = await loadToml(`${BASE}\n[webhooks]\nlisten = "0.0.0.0:8080"\n`);
  assert.ok(netGrants(permissionFlags(open)).includes("0.0.0.0:8080"));
});

Deno.test("loadConfig() rejects a listen address that is not host:port", async () => {
  assert.deepEqual(await problems(`${BASE}\n[webhooks]\nlisten = "8787"\n`), [
    'webhooks.listen: expected "host:port", like "127.0.0.1:8787" or "[::1]:8787", found "8787"',
  ]);
});

Deno.test("loadConfig() requires a secret, a signature scheme and a bare JID for each route", async () => {
  assert.deepEqual(await problems(route('path = "/hooks/ci"\nto = "alice@localhost/phone"')), [
    "webhooks.routes[0].secret: missing, expected a non-empty string",
    'webhooks.routes[0].signature: missing, expected one of "github", "standard", "bearer"',
    'webhooks.routes[0].to: expected a bare JID like "alice@example.org" or a room JID, found "alice@localhost/phone"',
  ]);
});

Deno.test("loadConfig() refuses a short secret without quoting it, and a standard secret not in whsec_ form", async () => {
  const short = await problems(
    route('path = "/a"\nsecret = "short"\nsignature = "bearer"\nto = "alice@localhost"'),
  );
  assert.deepEqual(short, [
    'webhooks.routes[0].secret: expected a secret of at least 16 characters (e.g. from "openssl rand -hex 32"), found a string',
  ]);
  const standard = await problems(
    route(`path = "/a"\nsecret = "${CI_SECRET}"\nsignature = "standard"\nto = "alice@localhost"`),
  );
  assert.equal(standard.length, 1);
  assert.match(standard[0]!, /^webhooks\.routes\[0\]\.secret: expected "whsec_" followed by/);
  assert.ok(!standard[0]!.includes(CI_SECRET));
});

Deno.test("loadConfig() ties template to notify mode and instructions to agent mode", async () => {
  const base = `path = "/a"\nsecret = "${CI_SECRET}"\nsignature = "github"\nto = "alice@localhost"`;
  assert.deepEqual(await problems(route(`${base}\nmode = "notify"\ninstructions = "x"`)), [
    'webhooks.routes[0].template: missing: required when mode is "notify" (template = "Build {{status}}")',
    'webhooks.routes[0].instructions: only used when mode is "agent": remove it, or set mode = "agent"',
  ]);
  assert.deepEqual(await problems(route(`${base}\ntemplate = "x"`)), [
    'webhooks.routes[0].template: only used when mode is "notify": remove it, or set mode = "notify"',
  ]);
  assert.deepEqual(await problems(route(`${base}\nmode = "mail"`)), [
    'webhooks.routes[0].mode: expected one of "agent", "notify", found "mail"',
  ]);
});

Deno.test("loadConfig() wants unique paths that start with /, none of them the listener's own", async () => {
  const one = (path: string) =>
    `[[webhooks.routes]]\npath = "${path}"\nsecret = "${CI_SECRET}"\nsignature = "github"\n` +
    'to = "alice@localhost"\n';
  const toml = `${BASE}\n[webhooks]\n\n${one("/hooks/ci")}${one("/hooks/ci")}${one("/metrics")}` +
    `${one("hooks")}${one("/hooks/:id")}${one("/hooks/../x")}`;
  assert.deepEqual(await problems(toml), [
    'webhooks.routes[3].path: expected a path like "/hooks/ci" (letters, digits, ".", "_", "~", "-" between "/"), found "hooks"',
    'webhooks.routes[4].path: expected a path like "/hooks/ci" (letters, digits, ".", "_", "~", "-" between "/"), found "/hooks/:id"',
    'webhooks.routes[5].path: expected a path like "/hooks/ci" (letters, digits, ".", "_", "~", "-" between "/"), found "/hooks/../x"',
    'webhooks.routes[1].path: "/hooks/ci" is already the path of webhooks.routes[0]',
    'webhooks.routes[2].path: "/metrics" is answered by the listener itself',
  ]);
});

Deno.test("loadConfig() names a route whose to is neither an allowed JID nor a configured room", async () => {
  const base = `path = "/a"\nsecret = "${CI_SECRET}"\nsignature = "github"`;
  assert.deepEqual(await problems(route(`${base}\nto = "carol@localhost"`)), [
    'webhooks.routes[0].to: "carol@localhost" is not a [[rooms]] jid, and not in agent.allowed_jids',
  ]);
  const anyone = BASE.replace('["alice@localhost"]', '"*"');
  const error = await rejection(
    loadToml(`${anyone}\n[webhooks]\n\n[[webhooks.routes]]\n${base}\nto = "eve@example.net"\n`),
  );
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.issues.map((issue) => issue.message), [
    '"eve@example.net" is not a [[rooms]] jid, and its domain "example.net" is not in agent.allowed_domains',
  ]);
  const loaded = await loadToml(
    `${anyone}\n[webhooks]\n\n[[webhooks.routes]]\n${base}\nto = "bob@localhost"\n`,
  );
  assert.equal(loaded.config.webhooks?.routes[0]?.to, "bob@localhost");
});

Deno.test("loadConfig() suggests the key meant by a misspelt webhook key", async () => {
  const toml = route(
    `path = "/a"\nsecret = "${CI_SECRET}"\nsignature = "github"\nto = "alice@localhost"\n` +
      "rate_per_minut = 5",
  ).replace("[webhooks]\n", "[webhooks]\nmax_body_kbs = 1\n");
  assert.deepEqual(await problems(toml), [
    'webhooks.routes[0].rate_per_minut: unknown key; did you mean "rate_per_minute"?',
    'webhooks.max_body_kbs: unknown key; did you mean "max_body_kb"?',
  ]);
});

Deno.test("loadConfig() accepts the example config's [webhooks] section once uncommented", async () => {
  const block = example.slice(example.indexOf("# [webhooks]"));
  const uncommented = block.split("\n").map((line) => line.replace(/^# ?/, ""))
    .filter((line) => /^(\[|\w+ = |\s*(#|$))/.test(line)).join("\n");
  const loaded = await loadToml(`${example}\n${uncommented}\n`, {
    env: {
      BOT_PASSWORD: "pw-example",
      ANTHROPIC_API_KEY: "sk-example",
      FLUUX_ADMIN_TOKEN: ADMIN_TOKEN,
      CI_HOOK_SECRET: CI_SECRET,
    },
  });
  assert.equal(loaded.config.webhooks?.listen, "127.0.0.1:8787");
  assert.equal(loaded.config.webhooks?.routes[0]?.to, "admin@localhost");
  assert.equal(
    loaded.config.webhooks?.routes[0]?.instructions,
    "Summarise the build result in one line.",
  );
});
