/**
 * A bench user logged in: the account whose password is its name (as the bench registers
 * them), closed when the bench cleans up.
 *
 * @module
 */
import type { ProsodyHandle } from "../../tests/support/prosody.ts";
import { onCleanUp } from "./cleanup.ts";
import { Driver } from "./driver.ts";

/**
 * Logs `user` in on the bench's server.
 *
 * @throws {Error} When the login fails.
 */
export async function connectBenchUser(
  server: Pick<ProsodyHandle, "host" | "c2sPort" | "domain">,
  user: string,
): Promise<Driver> {
  const driver = await Driver.connect({
    host: server.host,
    port: server.c2sPort,
    domain: server.domain,
    user,
    password: user,
  });
  onCleanUp(() => driver.close());
  return driver;
}
