/**
 * Fluux Agent: an AI agent that lives on XMPP.
 *
 * The command line: finds the command, loads the config, and hands both to the command's
 * module under `src/cli/`, imported only when that command runs (`run` is the composition
 * root). Nothing here builds the agent.
 *
 * @module
 */
import { splitCommand } from "./src/cli/command_line.ts";
import { fail } from "./src/cli/_shared.ts";
import { VERSION } from "./src/version.ts";

const USAGE = `Fluux Agent ${VERSION}: an AI agent that lives on XMPP

Usage: fluux-agent [command] [--config <path>]

Commands:
  run           Run the agent (the default). Give it the permissions \`permissions\` prints.
  start         Work out the permissions the config needs and run the agent under exactly them.
  check         Validate the config and print the effective settings, secrets hidden.
  permissions   Print the Deno permission flags the config needs.
  reindex       Rebuild the memory search indexes ([memory.search]), with a progress line.
  compile       Build one executable with those permissions baked in.
                Options: --output <file> (default dist/fluux-agent), --target <triple>,
                --dry-run (print the deno compile command instead of running it).
  help          Show this text.     version    Show the version.

--no-secrets (check, permissions, compile): secrets may be unset; check shows them "(unset)".
The config file is --config <path>, else $FLUUX_CONFIG, else config/agent.toml. Relative
paths (the config, ./.env, memory.path, skills.dir) resolve against the working directory.
Exit codes: 0 clean stop, 1 runtime failure (e.g. authentication), 2 config or usage error.`;

const COMMANDS = [
  "run",
  "start",
  "check",
  "permissions",
  "reindex",
  "compile",
  "help",
  "version",
];

/** Commands that may run with secrets unset: they need the variables' names only. */
const NO_SECRETS_COMMANDS = ["check", "permissions", "compile"];

/** Runs the command line and returns the exit code. */
async function main(args: string[]): Promise<number> {
  const line = splitCommand(args);
  // The child of a process-isolated skill in a compiled executable (hidden: the agent
  // starts it; see src/skills/standalone_child.ts).
  if (line.command === "skill-child") {
    const { serveStandaloneChild } = await import("./src/skills/standalone_child.ts");
    return await serveStandaloneChild(line.after);
  }
  const command = line.command ?? "run";
  const rest = line.rest;
  if (command === "help" || rest.includes("--help") || rest.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (command === "version" || rest.includes("--version")) {
    console.log(VERSION);
    return 0;
  }
  if (!COMMANDS.includes(command)) {
    return fail(2, `Unknown command "${command}". Run "fluux-agent help" for the commands`);
  }
  const noSecrets = rest.includes("--no-secrets");
  if (noSecrets && !NO_SECRETS_COMMANDS.includes(command)) {
    return fail(2, `"--no-secrets" is for check, permissions and compile: "${command}" needs them`);
  }
  if (Deno.build.standalone && (command === "start" || command === "compile")) {
    return fail(
      2,
      `"${command}" needs the Deno CLI (run it from a checkout, e.g. "deno task ${command}"); ` +
        'this executable runs the agent itself: "fluux-agent" or "fluux-agent run"',
    );
  }
  const { loadForCommand } = await import("./src/cli/load.ts");
  const loaded = await loadForCommand(rest, { allowUnsetSecrets: noSecrets });
  if (typeof loaded === "number") return loaded;
  switch (command) {
    case "check":
      return await (await import("./src/cli/check.ts")).check(loaded);
    case "permissions":
      return await (await import("./src/cli/permissions.ts")).permissions(loaded);
    case "compile":
      return await (await import("./src/cli/compile.ts")).compile(loaded, rest);
    case "start":
      return await (await import("./src/cli/start.ts")).start(loaded);
    case "reindex":
      return await (await import("./src/cli/reindex.ts")).reindexCommand(loaded);
    default:
      return await (await import("./src/cli/run.ts")).run(loaded);
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
