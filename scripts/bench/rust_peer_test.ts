import assert from "node:assert/strict";
import { parse } from "smol-toml";
import { peerRows } from "./report.ts";
import { peerConfigToml } from "./rust_peer.ts";

Deno.test("peerConfigToml() writes a component config with Ollama on the fake LLM", () => {
  // smol-toml's tables have no prototype: a JSON round trip makes them plain objects.
  const toml = JSON.parse(JSON.stringify(parse(peerConfigToml({
    host: "127.0.0.1",
    componentPort: 5347,
    componentDomain: "agent.localhost",
    componentSecret: "s3cret",
    llmUrl: "http://127.0.0.1:8080",
    userDomain: "localhost",
    memoryDir: '/tmp/peer "memory"',
  }))));
  assert.deepEqual(toml.server, {
    host: "127.0.0.1",
    port: 5347,
    mode: "component",
    component_domain: "agent.localhost",
    component_secret: "s3cret",
  });
  assert.deepEqual(toml.llm, {
    provider: "ollama",
    model: "bench-model",
    host: "http://127.0.0.1:8080",
    max_tokens_per_request: 1024,
  });
  assert.deepEqual(toml.agent, {
    name: "Rust peer",
    allowed_jids: ["*"],
    allowed_domains: ["localhost"],
  });
  assert.deepEqual(toml.memory, { backend: "markdown", path: '/tmp/peer "memory"' });
});

Deno.test("peerRows() is empty without --peer, and judges agent / peer against 1", () => {
  assert.deepEqual(peerRows({}), []);
  const rows = peerRows({
    peer_floor_p50_ms: 1,
    peer_p50_ms: 1.5,
    peer_agent_p50_ms: 2,
    peer_ratio: 1.5,
    peer_agent_ratio: 2,
    agent_to_peer_ratio: 2 / 1.5,
  });
  assert.equal(rows.length, 2);
  assert.equal(rows[0]![1], "2.00 ms / 1.50 ms = 1.33×");
  assert.equal(rows[0]![3], false);
  assert.equal(rows[1]![1], "1.50×, 2.00× (floor 1.00 ms)");
});
