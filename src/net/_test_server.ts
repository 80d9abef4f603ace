// Test helper: a throwaway HTTP(S) server on 127.0.0.1 that records the paths it was asked for.

/** A running test server. */
export interface TestServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` (or `https://localhost:<port>` with TLS). */
  origin: string;
  port: number;
  /** Request paths in arrival order. */
  paths: string[];
  /** Resolves every pending `hold()` and stops the server. */
  close(): Promise<void>;
  /** A promise that stays pending until the server closes (for handlers that hang). */
  hold(): Promise<void>;
}

/** Starts a server; pass `tls` for HTTPS on `localhost`. */
export function startTestServer(
  handler: (request: Request, server: TestServer) => Response | Promise<Response>,
  tls?: { cert: string; key: string },
): TestServer {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const paths: string[] = [];
  const state = {} as TestServer;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
    ...(tls ?? {}),
  }, (request) => {
    paths.push(new URL(request.url).pathname);
    return handler(request, state);
  });
  const port = server.addr.port;
  let closing: Promise<void> | undefined;
  const close = () => {
    release();
    closing ??= server.shutdown();
    return closing;
  };
  Object.assign(state, {
    origin: tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
    port,
    paths,
    close,
    hold: () => released,
    [Symbol.asyncDispose]: close,
  });
  return state;
}

/** A body of `size` bytes sent in 16 KiB chunks without a Content-Length. */
export function chunkedBody(size: number, onCancel?: () => void): ReadableStream<Uint8Array> {
  const chunkSize = 16 * 1024;
  let sent = 0;
  return new ReadableStream({
    cancel() {
      onCancel?.();
    },
    pull(controller) {
      if (sent >= size) return controller.close();
      const length = Math.min(chunkSize, size - sent);
      controller.enqueue(new Uint8Array(length).fill(0x61));
      sent += length;
    },
  });
}
