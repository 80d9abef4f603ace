/**
 * Small helpers for the sockets and promises of xmpp.js entities.
 *
 * @module
 */
import type { XmppJsSocket } from "./_xmpp_client.ts";

/** Turns anything thrown into one line. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Turns Nagle off on a library socket (plain or TLS-wrapped). */
export function setNoDelay(socket: XmppJsSocket | null): void {
  try {
    socket?.setNoDelay?.(true);
    socket?.socket?.setNoDelay?.(true);
  } catch {
    // Not every transport exposes the option; latency is then the kernel's.
  }
}

/** Closes a library socket without waiting for the peer. */
export function destroySocket(socket: XmppJsSocket | null): void {
  try {
    socket?.socket?.destroy?.();
    socket?.destroy?.();
  } catch {
    // Already gone.
  }
}

/** Rejects when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("Timed out")), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
