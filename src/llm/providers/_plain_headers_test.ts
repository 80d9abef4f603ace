import assert from "node:assert/strict";
import { withPlainHeaders } from "./_plain_headers.ts";

function recording() {
  const calls: { input: string | URL | Request; init: RequestInit | undefined }[] = [];
  const base: typeof fetch = (input, init) => {
    calls.push({ input, init });
    return Promise.resolve(new Response("{}"));
  };
  return { calls, fetch: withPlainHeaders(base) };
}

Deno.test("withPlainHeaders() passes a Headers object on as a record of what goes on the wire", async () => {
  const { calls, fetch } = recording();
  const headers = new Headers({ "X-Api-Key": "k", "Content-Type": "application/json" });
  headers.append("Accept", "application/json");
  headers.append("accept", "text/event-stream");
  const signal = new AbortController().signal;
  await fetch("http://llm.test/v1/messages", { method: "POST", body: "{}", headers, signal });
  const init = calls[0]!.init!;
  assert.ok(!(init.headers instanceof Headers));
  assert.deepEqual(init.headers, {
    "accept": "application/json, text/event-stream",
    "content-type": "application/json",
    "x-api-key": "k",
  });
  assert.equal(init.method, "POST");
  assert.equal(init.body, "{}");
  assert.equal(init.signal, signal);
  assert.equal(calls[0]!.input, "http://llm.test/v1/messages");
});

Deno.test("withPlainHeaders() leaves other headers, and requests without any, as they are", async () => {
  const { calls, fetch } = recording();
  const record = { "x-api-key": "k" };
  const pairs: [string, string][] = [["x-api-key", "k"]];
  await fetch("http://llm.test/a", { headers: record });
  await fetch("http://llm.test/b", { headers: pairs });
  await fetch("http://llm.test/c");
  assert.equal(calls[0]!.init!.headers, record);
  assert.equal(calls[1]!.init!.headers, pairs);
  assert.equal(calls[2]!.init, undefined);
});

Deno.test("withPlainHeaders(): the server receives the same headers either way", async () => {
  const seen: [string, string][][] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (request) => {
    seen.push([...request.headers].filter(([name]) => name.startsWith("x-")));
    return new Response("ok");
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/`;
    const make = () => {
      const headers = new Headers({ "X-Stainless-Lang": "js", "X-Api-Key": "k" });
      headers.append("X-Multi", "a");
      headers.append("X-Multi", "b");
      return headers;
    };
    await (await fetch(url, { headers: make() })).text();
    await (await withPlainHeaders(fetch)(url, { headers: make() })).text();
  } finally {
    await server.shutdown();
  }
  assert.deepEqual(seen[1], seen[0]);
  assert.deepEqual(seen[0], [["x-api-key", "k"], ["x-multi", "a, b"], ["x-stainless-lang", "js"]]);
});
