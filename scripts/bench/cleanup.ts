/**
 * Every process the bench starts registers how to stop it here; {@linkcode cleanUp} runs
 * those in reverse order, on success, on failure, and on Ctrl-C or SIGTERM.
 *
 * @module
 */

const tasks: (() => Promise<unknown>)[] = [];
let hooked = false;

/**
 * Registers `task` (stop a process, remove a directory) to run at clean-up, newest first.
 *
 * @returns A function that runs the task now and unregisters it.
 */
export function onCleanUp(task: () => Promise<unknown>): () => Promise<void> {
  hookSignals();
  tasks.push(task);
  return async () => {
    const index = tasks.indexOf(task);
    if (index === -1) return;
    tasks.splice(index, 1);
    await task().catch(() => {});
  };
}

/** Runs every registered task, newest first; a task that fails does not stop the others. */
export async function cleanUp(): Promise<void> {
  while (tasks.length > 0) {
    const task = tasks.pop()!;
    await task().catch((error) => console.error(`Clean-up failed: ${String(error)}`));
  }
}

function hookSignals(): void {
  if (hooked) return;
  hooked = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, async () => {
      console.error(`\n${signal}: stopping every process the bench started`);
      await cleanUp();
      Deno.exit(130);
    });
  }
}
