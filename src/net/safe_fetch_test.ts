import assert from "node:assert/strict";
import { testCertificate } from "../../tests/support/test_certificate.ts";
import { chunkedBody, startTestServer } from "./_test_server.ts";
import { BlockedUrlError } from "./blocked_url_error.ts";
import type { Connector } from "./checked_get.ts";
import { safeFetch } from "./safe_fetch.ts";
import { SafeFetchError, type SafeFetchErrorCode } from "./safe_fetch_error.ts";

const LOCAL = { allowPrivate: true, allowedHosts: ["127.0.0.1"] };

async function failure(promise: Promise<unknown>, code: SafeFetchErrorCode) {
  const error = await promise.then(() => undefined, (error: unknown) => error);
  assert.ok(error instanceof SafeFetchError, `expected a SafeFetchError, got ${error}`);
  assert.equal(error.code, code, error.message);
  return error;
}

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (error: unknown) => error);
  assert.ok(error instanceof BlockedUrlError, `expected a BlockedUrlError, got ${error}`);
  return error;
}

/** A connector that reaches the local server for `host` and reports a public peer address. */
function posingAsPublic(port: number, host: string): Connector {
  return async (name, _port, signal) => {
    if (name !== host) throw new Error(`Unexpected connection to ${name}`);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port, signal });
    return { conn, address: "93.184.215.14" };
  };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

Deno.test("safeFetch() follows a relative redirect and returns the final URL and body", async () => {
  await using server = startTestServer((request) => {
    if (new URL(request.url).pathname === "/old") {
      return new Response(null, { status: 302, headers: { location: "/new?x=1" } });
    }
    return new Response("hello", { headers: { "content-type": "text/plain; charset=utf-8" } });
  });
  const result = await safeFetch(`${server.origin}/old`, LOCAL);
  assert.equal(result.url, `${server.origin}/new?x=1`);
  assert.equal(result.status, 200);
  assert.equal(result.contentType, "text/plain; charset=utf-8");
  assert.equal(new TextDecoder().decode(result.bytes), "hello");
  assert.equal(result.size, 5);
  assert.deepEqual(server.paths, ["/old", "/new"]);
});

Deno.test("safeFetch() streams into a new file and returns its first bytes", async () => {
  const body = new Uint8Array(70_000).map((_, i) => i % 251);
  await using server = startTestServer(() => new Response(body));
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/out.bin`;
    const result = await safeFetch(`${server.origin}/f`, { ...LOCAL, writeTo: path });
    assert.equal(result.path, path);
    assert.equal(result.size, body.length);
    assert.deepEqual(await Deno.readFile(path), body);
    assert.deepEqual(result.head, body.subarray(0, 512));
    const again = safeFetch(`${server.origin}/f`, { ...LOCAL, writeTo: path });
    assert.match((await failure(again, "file")).reason, /^cannot create ".*out\.bin"/);
    assert.deepEqual(await Deno.readFile(path), body, "an existing file is never overwritten");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("safeFetch() refuses a Content-Length over the limit before creating the file", async () => {
  await using server = startTestServer(() => new Response(new Uint8Array(2048)));
  const dir = await Deno.makeTempDir();
  try {
    const fetching = safeFetch(`${server.origin}/big`, {
      ...LOCAL,
      maxBytes: 1024,
      writeTo: `${dir}/big`,
    });
    const error = await failure(fetching, "too_large");
    assert.equal(
      error.message,
      `Cannot fetch "${server.origin}/big": larger than the 1024-byte limit`,
    );
    assert.equal(await exists(`${dir}/big`), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("safeFetch() aborts a chunked body once it passes the limit and removes the file", async () => {
  let cancelled = false;
  await using server = startTestServer(() =>
    new Response(chunkedBody(64 * 1024 * 1024, () => cancelled = true))
  );
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/stream`;
    const fetching = safeFetch(`${server.origin}/s`, {
      ...LOCAL,
      maxBytes: 100_000,
      writeTo: path,
    });
    await failure(fetching, "too_large");
    assert.equal(await exists(path), false, "the partial file is removed");
    await server.close();
    assert.equal(cancelled, true, "the server saw the download stop before the end");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("safeFetch() refuses a redirect to a host outside the allow-list", async () => {
  await using server = startTestServer(() =>
    new Response(null, { status: 301, headers: { location: "https://elsewhere.example/f" } })
  );
  const error = await refusal(safeFetch(`${server.origin}/a`, LOCAL));
  assert.equal(error.url, "https://elsewhere.example/f");
  assert.equal(error.reason, 'host "elsewhere.example" is not allowed');
});

Deno.test("safeFetch() re-checks the address of every redirect target", async () => {
  // files.example looks public; the injected connector carries it to the local server.
  await using server = startTestServer((request) => {
    const path = new URL(request.url).pathname;
    const location = path === "/to-loopback"
      ? `http://127.0.0.1:${server.port}/secret`
      : "http://internal.example/secret";
    return new Response(null, { status: 307, headers: { location } });
  });
  const options = {
    allowedHosts: ["files.example", "internal.example", "127.0.0.1"],
    allowHttp: true,
    resolve: (host: string) =>
      Promise.resolve(host === "files.example" ? ["93.184.215.14"] : ["10.1.2.3"]),
    connect: posingAsPublic(server.port, "files.example"),
  };
  const loopback = await refusal(
    safeFetch(`http://files.example:${server.port}/to-loopback`, options),
  );
  assert.equal(loopback.reason, "loopback address 127.0.0.1");
  const internal = await refusal(
    safeFetch(`http://files.example:${server.port}/to-internal`, options),
  );
  assert.equal(
    internal.message,
    'Refused "http://internal.example/secret": private address 10.1.2.3',
  );
  assert.deepEqual(server.paths, ["/to-loopback", "/to-internal"]);
});

Deno.test("safeFetch() gives up after the allowed number of redirects", async () => {
  await using server = startTestServer((request) => {
    const n = Number(new URL(request.url).pathname.slice(1));
    return new Response(null, { status: 302, headers: { location: `/${n + 1}` } });
  });
  const error = await failure(
    safeFetch(`${server.origin}/0`, { ...LOCAL, maxRedirects: 2 }),
    "redirects",
  );
  assert.equal(error.reason, "more than 2 redirects");
  assert.equal(error.url, `${server.origin}/2`);
  assert.deepEqual(server.paths, ["/0", "/1", "/2"]);
});

Deno.test("safeFetch() fails on an error status unless told to accept it", async () => {
  await using server = startTestServer(() => new Response("gone", { status: 404 }));
  const error = await failure(safeFetch(`${server.origin}/x`, LOCAL), "status");
  assert.equal(error.status, 404);
  assert.equal(error.message, `Cannot fetch "${server.origin}/x": HTTP 404`);
  const result = await safeFetch(`${server.origin}/x`, { ...LOCAL, requireOk: false });
  assert.equal(result.status, 404);
  assert.equal(new TextDecoder().decode(result.bytes), "gone");
});

Deno.test("safeFetch() times out a server that never answers", async () => {
  await using server = startTestServer(async (_request, self) => {
    await self.hold();
    return new Response("late");
  });
  const fetching = safeFetch(`${server.origin}/slow`, { ...LOCAL, connectTimeoutMs: 100 });
  const error = await failure(fetching, "timeout");
  assert.equal(error.reason, "no answer within 100 ms");
});

Deno.test("safeFetch() times out a body that stalls and removes the partial file", async () => {
  await using server = startTestServer((_request, self) => {
    let sent = false;
    return new Response(
      new ReadableStream({
        async pull(controller) {
          if (!sent) {
            sent = true;
            return controller.enqueue(new Uint8Array(1000));
          }
          await self.hold();
          controller.close();
        },
      }),
    );
  });
  const dir = await Deno.makeTempDir();
  try {
    const fetching = safeFetch(`${server.origin}/stall`, {
      ...LOCAL,
      totalTimeoutMs: 300,
      writeTo: `${dir}/stall`,
    });
    const error = await failure(fetching, "timeout");
    assert.equal(error.reason, "took longer than 300 ms");
    assert.equal(await exists(`${dir}/stall`), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("safeFetch() stops when the caller's signal aborts", async () => {
  await using server = startTestServer(async (_request, self) => {
    await self.hold();
    return new Response("late");
  });
  const controller = new AbortController();
  const fetching = safeFetch(`${server.origin}/a`, { ...LOCAL, signal: controller.signal });
  controller.abort(new Error("Stopping"));
  await failure(fetching, "aborted");
});

Deno.test("safeFetch() reports a refused connection as a network failure", async () => {
  const server = startTestServer(() => new Response("x"));
  await server.close();
  const error = await failure(safeFetch(`${server.origin}/`, LOCAL), "network");
  assert.match(error.message, new RegExp(`^Cannot fetch "${server.origin}/": `));
});

Deno.test("safeFetch() fetches over https from a server whose certificate the client trusts", async () => {
  const certificate = await testCertificate();
  await using server = startTestServer(() => new Response("secret"), certificate);
  const options = { allowPrivate: true, allowedHosts: ["localhost"] };
  const result = await safeFetch(`${server.origin}/s`, { ...options, caCerts: [certificate.cert] });
  assert.equal(new TextDecoder().decode(result.bytes), "secret");
  await failure(safeFetch(`${server.origin}/s`, options), "network");
});

Deno.test("safeFetch() reports a failed write as a file error and removes the file", async () => {
  await using server = startTestServer(() => new Response("data"));
  const removed: string[] = [];
  const files = {
    create: () =>
      Promise.resolve(
        new WritableStream<Uint8Array>({
          write() {
            throw new Error("No space left on device");
          },
        }),
      ),
    remove: (path: string) => {
      removed.push(path);
      return Promise.resolve();
    },
  };
  const error = await failure(
    safeFetch(`${server.origin}/d`, { ...LOCAL, writeTo: "/x/d", files }),
    "file",
  );
  assert.equal(error.reason, 'cannot write "/x/d": No space left on device');
  assert.deepEqual(removed, ["/x/d"]);
});

Deno.test("safeFetch() refuses the connection when the peer address differs from the checked one", async () => {
  // The name server says public; the connection lands on loopback (DNS rebinding).
  await using server = startTestServer(() => new Response("internal"));
  const error = await refusal(safeFetch("https://files.example/x", {
    allowedHosts: ["files.example"],
    resolve: () => Promise.resolve(["93.184.215.14"]),
    connect: async (_name, _port, signal) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port, signal });
      return { conn, address: conn.remoteAddr.hostname };
    },
    configKeys: { allowPrivate: "attachments.allow_private_hosts" },
  }));
  assert.equal(
    error.message,
    'Refused "https://files.example/x": loopback address 127.0.0.1 ' +
      "(set attachments.allow_private_hosts = true to allow private hosts)",
  );
  assert.deepEqual(server.paths, [], "nothing was sent to the loopback server");
});

Deno.test("safeFetch() leaves a name its resolver cannot answer to the connection's peer check", async () => {
  // localhost-like names in /etc/hosts are invisible to Deno.resolveDns; the socket is not.
  await using server = startTestServer(() => new Response("internal"));
  const options = {
    resolve: () => Promise.reject(new Error("No name server")),
    connect: async (_name: string, _port: number, signal: AbortSignal) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port, signal });
      return { conn, address: conn.remoteAddr.hostname };
    },
  };
  const error = await refusal(safeFetch(`http://intranet:${server.port}/`, options));
  assert.equal(error.reason, "loopback address 127.0.0.1");
  assert.deepEqual(server.paths, []);
  const allowed = await safeFetch(`http://intranet:${server.port}/`, {
    ...options,
    allowPrivate: true,
  });
  assert.equal(new TextDecoder().decode(allowed.bytes), "internal");
});

Deno.test("safeFetch() refuses plain http to a public peer without allowHttp", async () => {
  await using server = startTestServer(() => new Response("page"));
  const error = await refusal(safeFetch(`http://files.example:${server.port}/`, {
    allowPrivate: true,
    resolve: () => Promise.reject(new Error("No name server")),
    connect: posingAsPublic(server.port, "files.example"),
  }));
  assert.equal(error.reason, "plain http is not allowed");
  assert.deepEqual(server.paths, []);
});

Deno.test("safeFetch() reads chunked, sized and gzip bodies and keeps the Host header", async () => {
  const hosts: string[] = [];
  await using server = startTestServer(async (request) => {
    hosts.push(request.headers.get("host") ?? "");
    const path = new URL(request.url).pathname;
    if (path === "/gzip") {
      const packed = await new Response(
        new Blob(["squeezed text"]).stream().pipeThrough(new CompressionStream("gzip")),
      ).arrayBuffer();
      return new Response(packed, { headers: { "content-encoding": "gzip" } });
    }
    if (path === "/chunked") return new Response(chunkedBody(40_000));
    return new Response("sized");
  });
  const get = async (path: string) => (await safeFetch(`${server.origin}${path}`, LOCAL)).bytes;
  assert.equal(new TextDecoder().decode(await get("/gzip")), "squeezed text");
  assert.equal((await get("/chunked")).length, 40_000);
  assert.equal(new TextDecoder().decode(await get("/sized")), "sized");
  assert.deepEqual(hosts, Array(3).fill(`127.0.0.1:${server.port}`));
});
