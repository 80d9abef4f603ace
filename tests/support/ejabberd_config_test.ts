import assert from "node:assert/strict";
import { type EjabberdConfigOptions, renderEjabberdConfig } from "./ejabberd_config.ts";

const BASE: EjabberdConfigOptions = {
  c2sPort: 15222,
  componentPort: 15347,
  httpPort: 15443,
  componentSecret: "s3cret",
  tls: { certFile: "/tmp/x/localhost.crt", keyFile: "/tmp/x/localhost.key" },
};

/** The lines of the listener block whose `port:` is `port`. */
function listener(config: string, port: number): string {
  const blocks = config.slice(config.indexOf("listen:"), config.indexOf("disable_sasl"))
    .split("\n  -\n");
  return blocks.find((block) => block.includes(`port: ${port}\n`)) ?? "";
}

Deno.test("renderEjabberdConfig() listens on loopback only, on the given ports", () => {
  const config = renderEjabberdConfig(BASE);
  const ports = [...config.matchAll(/^ {4}port: (\d+)$/gm)].map((m) => Number(m[1]));
  assert.deepEqual(ports, [15222, 15347, 15443]);
  assert.equal([...config.matchAll(/^ {4}ip: "127\.0\.0\.1"$/gm)].length, 3);
  assert.doesNotMatch(config, /ejabberd_s2s_in|ejabberd_stun|mod_mqtt\n {4}|"::"/);
  assert.match(config, /^s2s_access: none$/m);
});

Deno.test("renderEjabberdConfig() keeps Debian's c2s listener and requires STARTTLS", () => {
  const config = renderEjabberdConfig(BASE);
  const c2s = listener(config, 15222);
  for (const line of ["module: ejabberd_c2s", "shaper: c2s_shaper", "starttls_required: true"]) {
    assert.ok(c2s.includes(line), `${line} missing from:\n${c2s}`);
  }
  assert.match(
    config,
    /certfiles:\n {2}- "\/tmp\/x\/localhost.crt"\n {2}- "\/tmp\/x\/localhost.key"/,
  );
});

Deno.test("renderEjabberdConfig({ tls: null }) offers no TLS and names no certificate", () => {
  const config = renderEjabberdConfig({ ...BASE, tls: null });
  assert.doesNotMatch(config, /certfiles|localhost\.crt/);
  const c2s = listener(config, 15222);
  assert.ok(c2s.includes("module: ejabberd_c2s"), c2s);
  assert.doesNotMatch(c2s, /starttls|tls:/);
});

Deno.test("renderEjabberdConfig() declares the component with its secret, quoted for YAML", () => {
  const config = renderEjabberdConfig({ ...BASE, componentSecret: 'a"b\\c: #d' });
  const service = listener(config, 15347);
  assert.ok(service.includes("module: ejabberd_service"), service);
  assert.ok(service.includes('"agent.localhost":'), service);
  assert.ok(service.includes('password: "a\\"b\\\\c: #d"'), service);
});

Deno.test("renderEjabberdConfig() serves both virtual hosts with Debian's modules plus MAM", () => {
  const config = renderEjabberdConfig(BASE);
  assert.match(config, /^hosts:\n {2}- "localhost"\n {2}- "elsewhere.localhost"$/m);
  for (const module of ["mod_stream_mgmt", "mod_muc", "mod_offline", "mod_carboncopy"]) {
    assert.match(config, new RegExp(`^ {2}${module}:`, "m"));
  }
  assert.match(config, /^ {2}mod_mam:\n {4}assume_mam_usage: true\n {4}default: always$/m);
  assert.match(config, /^ {2}mod_fail2ban:\n {4}access: trusted_network$/m);
  assert.match(config, /^loglevel: info$/m);
  assert.match(renderEjabberdConfig({ ...BASE, logLevel: "debug" }), /^loglevel: debug$/m);
});

Deno.test("renderEjabberdConfig() rejects a port that is not a TCP port", () => {
  assert.throws(() => renderEjabberdConfig({ ...BASE, httpPort: 0 }), RangeError);
  assert.throws(() => renderEjabberdConfig({ ...BASE, c2sPort: 70000 }), /Invalid port "70000"/);
});
