import assert from "node:assert/strict";
import { AttachmentDownloader, type AttachmentDownloaderOptions } from "./attachment_downloader.ts";
import type { AttachmentResult } from "./attachment_result.ts";
import { denoAttachmentFs } from "./attachment_fs.ts";
import { testCertificate } from "../../tests/support/test_certificate.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 9, 9]);

interface Server extends AsyncDisposable {
  origin: string;
  port: number;
  paths: string[];
  /** Pending until the server closes. */
  closed: Promise<void>;
}

function serve(
  handler: (request: Request, server: Server) => Response | Promise<Response>,
): Server {
  let release!: () => void;
  const closed = new Promise<void>((resolve) => release = resolve);
  const state = { paths: [] as string[], closed } as unknown as Server;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    state.paths.push(new URL(request.url).pathname);
    return handler(request, state);
  });
  Object.assign(state, {
    origin: `http://127.0.0.1:${server.addr.port}`,
    port: server.addr.port,
    [Symbol.asyncDispose]: () => (release(), server.shutdown()),
  });
  return state;
}

async function withFolder(test: (dir: string) => Promise<void>) {
  const root = await Deno.makeTempDir();
  try {
    await test(`${root}/memory/alice@example.org/files`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function listing(dir: string): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

function local(options: Partial<AttachmentDownloaderOptions> = {}) {
  let n = 0;
  return new AttachmentDownloader({
    allowedHosts: ["127.0.0.1"],
    allowPrivateHosts: true,
    randomId: () => `id${++n}`,
    ...options,
  });
}

function failed(result: AttachmentResult): string {
  assert.equal(result.ok, false, "the download should have failed");
  return result.ok ? "" : result.reason;
}

Deno.test("AttachmentDownloader saves the file under a unique sanitised name with its real type", async () => {
  await using server = serve(() =>
    new Response(PNG, { headers: { "content-type": "application/octet-stream" } })
  );
  await withFolder(async (dir) => {
    const url = `${server.origin}/upload/abc/My%20Cat.png`;
    const result = await local().download(dir, { url, description: "Look" });
    assert.deepEqual(result, {
      ok: true,
      url,
      path: `${dir}/id1_My Cat.png`,
      filename: "My Cat.png",
      mime_type: "image/png",
      size: PNG.length,
      description: "Look",
    });
    assert.deepEqual(await Deno.readFile(`${dir}/id1_My Cat.png`), PNG);
    const blocks = await local().toBlocks(result);
    assert.deepEqual(blocks[1], { type: "image", media_type: "image/png", data: PNG.toBase64() });
  });
});

Deno.test("AttachmentDownloader shows a text file to the LLM from the saved copy", async () => {
  await using server = serve(() =>
    new Response("a,b\n1,2\n", { headers: { "content-type": "text/csv" } })
  );
  await withFolder(async (dir) => {
    const downloader = local();
    const result = await downloader.download(dir, { url: `${server.origin}/t.csv` });
    const [block] = await downloader.toBlocks(result);
    assert.ok(block?.type === "text");
    assert.match(block.text, /^\[Attachment t\.csv \(text\/csv, 8 B\)\]\n/);
    assert.match(block.text, /<attachment name="t.csv">\na,b\n1,2\n\n<\/attachment>$/);
  });
});

Deno.test("AttachmentDownloader refuses a Content-Length over the limit without creating a file", async () => {
  await using server = serve(() => new Response(new Uint8Array(4096)));
  await withFolder(async (dir) => {
    const result = await local({ maxBytes: 1000 }).download(dir, {
      url: `${server.origin}/big.bin`,
    });
    assert.equal(failed(result), "larger than the 1000-byte limit");
    assert.deepEqual(await listing(dir), []);
  });
});

Deno.test("AttachmentDownloader stops a chunked body at the limit and removes the partial file", async () => {
  let sent = 0;
  await using server = serve(() =>
    new Response(
      new ReadableStream({
        pull(controller) {
          sent += 16_384;
          controller.enqueue(new Uint8Array(16_384));
          if (sent >= 64 * 1024 * 1024) controller.close();
        },
      }),
    )
  );
  await withFolder(async (dir) => {
    const result = await local({ maxBytes: 100_000 }).download(dir, { url: `${server.origin}/s` });
    assert.equal(failed(result), "larger than the 100000-byte limit");
    assert.deepEqual(await listing(dir), []);
    assert.ok(sent < 64 * 1024 * 1024, "the download stopped before the end of the body");
  });
});

Deno.test("AttachmentDownloader refuses a host that is not in the allow-list", async () => {
  await using server = serve(() => new Response("x"));
  await withFolder(async (dir) => {
    const downloader = local({ allowedHosts: ["upload.example.org"] });
    const result = await downloader.download(dir, { url: `${server.origin}/x` });
    assert.equal(
      failed(result),
      `refused: host "127.0.0.1:${server.port}" is not allowed (add it to attachments.hosts)`,
    );
    assert.deepEqual(server.paths, [], "nothing was requested");
  });
});

Deno.test("AttachmentDownloader refuses loopback hosts unless private hosts are allowed", async () => {
  await using server = serve(() => new Response("x"));
  await withFolder(async (dir) => {
    const result = await local({ allowPrivateHosts: false }).download(dir, {
      url: `${server.origin}/x`,
    });
    assert.equal(
      failed(result),
      "refused: loopback address 127.0.0.1 (set attachments.allow_private_hosts = true to allow private hosts)",
    );
    assert.deepEqual(server.paths, []);
  });
});

Deno.test("AttachmentDownloader refuses a redirect to a host outside the allow-list", async () => {
  await using server = serve(() =>
    new Response(null, { status: 302, headers: { location: "https://elsewhere.example/f.png" } })
  );
  await withFolder(async (dir) => {
    const result = await local().download(dir, { url: `${server.origin}/f.png` });
    assert.equal(
      failed(result),
      'redirect to "https://elsewhere.example/f.png" refused: host "elsewhere.example" is not allowed ' +
        "(add it to attachments.hosts)",
    );
  });
});

Deno.test("AttachmentDownloader refuses a public host's redirect to a loopback address", async () => {
  const certificate = await testCertificate("upload.example.org");
  const paths: string[] = [];
  let port = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {}, ...certificate },
    (request) => {
      paths.push(new URL(request.url).pathname);
      return new Response(null, {
        status: 302,
        headers: { location: `http://127.0.0.1:${port}/secret` },
      });
    },
  );
  port = server.addr.port;
  try {
    await withFolder(async (dir) => {
      const downloader = local({
        allowPrivateHosts: false,
        allowedHosts: ["upload.example.org", "127.0.0.1"],
        resolve: (host) => Promise.resolve(host === "upload.example.org" ? ["93.184.215.14"] : []),
        caCerts: [certificate.cert],
        // upload.example.org stands for a public server: its connection goes to the local one.
        connect: async (host, _port, signal) => {
          assert.equal(host, "upload.example.org");
          const conn = await Deno.connect({ hostname: "127.0.0.1", port, signal });
          return { conn, address: "93.184.215.14" };
        },
      });
      const result = await downloader.download(dir, { url: "https://upload.example.org/f.png" });
      assert.equal(
        failed(result),
        `redirect to "http://127.0.0.1:${port}/secret" refused: loopback address 127.0.0.1 ` +
          "(set attachments.allow_private_hosts = true to allow private hosts)",
      );
      assert.deepEqual(paths, ["/f.png"]);
    });
  } finally {
    await server.shutdown();
  }
});

Deno.test("AttachmentDownloader runs at most three downloads at once by default", async () => {
  let inFlight = 0;
  let most = 0;
  let arrived = 0;
  let threeArrived!: () => void;
  const three = new Promise<void>((resolve) => threeArrived = resolve);
  let open!: () => void;
  const gate = new Promise<void>((resolve) => open = resolve);
  await using server = serve(async () => {
    most = Math.max(most, ++inFlight);
    if (++arrived === 3) threeArrived();
    await gate;
    inFlight--;
    return new Response("ok");
  });
  await withFolder(async (dir) => {
    // One server and one conversation here: their own limits are lifted to see the global one.
    const downloader = local({ maxPerHost: 7, maxPerConversation: 7 });
    const downloads = Array.from(
      { length: 7 },
      (_, i) => downloader.download(dir, { url: `${server.origin}/f${i}.txt` }),
    );
    try {
      await three;
      // Give a fourth request, if one were let through, time to reach the server.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(arrived, 3);
    } finally {
      open();
    }
    const results = await Promise.all(downloads);
    assert.deepEqual(results.map((result) => result.ok), Array(7).fill(true));
    assert.equal(most, 3);
    assert.equal((await listing(dir)).length, 7);
  });
});

Deno.test("AttachmentDownloader gives up on a server that does not answer in time", async () => {
  await using server = serve(async (_request, self) => {
    await self.closed;
    return new Response("late");
  });
  await withFolder(async (dir) => {
    const result = await local({ connectTimeoutMs: 100 }).download(dir, {
      url: `${server.origin}/x`,
    });
    assert.equal(failed(result), "no answer within 100 ms");
    assert.deepEqual(await listing(dir), []);
  });
});

Deno.test("AttachmentDownloader gives up on a download that takes too long", async () => {
  await using server = serve((_request, self) =>
    new Response(
      new ReadableStream({
        async pull(controller) {
          controller.enqueue(new Uint8Array(1000));
          await self.closed;
        },
      }),
    )
  );
  await withFolder(async (dir) => {
    const result = await local({ totalTimeoutMs: 200 }).download(dir, {
      url: `${server.origin}/x`,
    });
    assert.equal(failed(result), "took longer than 200 ms");
    assert.deepEqual(await listing(dir), []);
  });
});

Deno.test("AttachmentDownloader reports an error status in words", async () => {
  await using server = serve(() => new Response("gone", { status: 404 }));
  await withFolder(async (dir) => {
    const result = await local().download(dir, { url: `${server.origin}/x`, description: "d" });
    assert.deepEqual(result, {
      ok: false,
      url: `${server.origin}/x`,
      reason: "the server answered HTTP 404",
      description: "d",
    });
    assert.deepEqual(await local().toBlocks(result), [{
      type: "text",
      text: `[Attachment ${server.origin}/x could not be downloaded: the server answered HTTP 404]`,
    }]);
  });
});

Deno.test("AttachmentDownloader wants an absolute files folder", () => {
  assert.throws(() => local().download("memory/files", { url: "https://x.example/a" }), TypeError);
});

Deno.test("AttachmentDownloader keeps a slow server from holding every slot", async () => {
  let started = 0;
  let release!: () => void;
  const held = new Promise<void>((resolve) => release = resolve);
  await using slow = serve(async () => {
    started++;
    await held;
    return new Response(PNG);
  });
  await using fast = serve(() => new Response(PNG));
  await withFolder(async (dir) => {
    const downloader = local({ maxConcurrent: 3, maxPerHost: 2, maxPerConversation: 3 });
    const slowOnes = [1, 2, 3].map((n) =>
      downloader.download(dir, { url: `${slow.origin}/s${n}.png` }, { conversation: "alice" })
    );
    while (started < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const other = await downloader.download(`${dir}/../../bob/files`, {
      url: `${fast.origin}/f.png`,
    }, { conversation: "bob" });
    assert.equal(other.ok, true, "another user's file from another server is not held up");
    assert.equal(started, 2, "the slow server never gets more than two downloads at once");
    release();
    assert.deepEqual((await Promise.all(slowOnes)).map((result) => result.ok), [true, true, true]);
  });
});

Deno.test("AttachmentDownloader gives up on a download that cannot start before its deadline", async () => {
  await using server = serve(() => new Response(PNG));
  // The first download holds the only slot for longer than the second may wait: its folder is
  // slow to create (a busy disk), which no timer of its own cuts short. Were it held by a slow
  // server instead, the first's deadline would end it a moment before the second's.
  let diskReady!: () => void;
  const disk = new Promise<void>((resolve) => diskReady = resolve);
  const slowDisk = {
    ...denoAttachmentFs,
    mkdir: (path: string) => disk.then(() => denoAttachmentFs.mkdir(path)),
  };
  await withFolder(async (dir) => {
    const downloader = local({ maxPerConversation: 1, totalTimeoutMs: 300, fs: slowDisk });
    const first = downloader.download(dir, { url: `${server.origin}/a.png` });
    const second = await downloader.download(dir, { url: `${server.origin}/b.png` });
    assert.equal(
      failed(second),
      "no download slot was free within 0.3 s (other downloads were running)",
    );
    diskReady();
    assert.equal((await first).ok, true);
    assert.deepEqual(server.paths, ["/a.png"], "the second never reached the server");
    assert.deepEqual(await listing(dir), ["id1_a.png"]);
  });
});
