// The Deno calls the config module makes by default; everything else takes them injected.

/** Reads a process environment variable. */
export function processEnv(name: string): string | undefined {
  return Deno.env.get(name);
}

/** Reads a UTF-8 file. */
export function readTextFile(path: string): Promise<string> {
  return Deno.readTextFile(path);
}

/** The current working directory. */
export function currentDirectory(): string {
  return Deno.cwd();
}

/** Whether this process holds read permission for `path` (never prompts). */
export function mayRead(path: string): boolean {
  return Deno.permissions.querySync({ name: "read", path }).state === "granted";
}

/** Whether an error means "no such file". */
export function isNotFound(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound ||
    (typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT");
}

/** Whether an error is Deno refusing an operation the process holds no permission for. */
export function isNotCapable(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable ||
    (error instanceof Error && error.name === "NotCapable");
}
