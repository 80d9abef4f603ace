/**
 * The command line that runs a test ejabberd: the Erlang VM with the arguments Debian's
 * `ejabberdctl foreground` would give it, minus what ties it to the system instance.
 *
 * Why not `ejabberdctl` itself: run as root it switches to the `ejabberd` user (who cannot
 * enter a test's private temp directory), run as anyone else it refuses (exit 7). And it names
 * the node (`ejabberd@localhost`, shared with the packaged service) for the Erlang
 * distribution that its other commands use. The test server runs without distribution: no
 * node name, no cookie, no epmd, no port besides its listeners; the harness drives it over
 * ejabberd's HTTP API instead (see tests/support/ejabberd_config.ts).
 *
 * @module
 */

/** Where Debian installed the Erlang VM and ejabberd's code. */
export interface ErlangInstall {
  /** The `erl` launcher, e.g. `/usr/bin/erl`. */
  erl: string;
  /** Directory holding `ejabberd-23.01/` and the other ejabberd libraries (`ERL_LIBS`). */
  erlLibs: string;
}

/** What {@linkcode ejabberdCommand} needs. */
export interface EjabberdCommandOptions {
  /** The server's temp directory: spool, logs and home live under it. */
  dir: string;
  /** The rendered `ejabberd.yml`. */
  configFile: string;
  /** Process whose end stops the server and removes `dir` (the test process). */
  ownerPid: number;
  /** Where Erlang and ejabberd are. */
  install: ErlangInstall;
  /** `PATH` of the server process. */
  path: string;
}

/** A program, its arguments and its whole environment. */
export interface LaunchCommand {
  program: string;
  args: string[];
  env: Record<string, string>;
}

const CTL = "/usr/sbin/ejabberdctl";

/**
 * Reads `ERL` and `ERL_LIBS` from Debian's ejabberdctl script (they depend on the
 * architecture the package was built for).
 *
 * @returns The install paths.
 * @throws {Error} When ejabberd is not installed.
 */
export async function findErlangInstall(): Promise<ErlangInstall> {
  let script: string;
  try {
    script = await Deno.readTextFile(CTL);
  } catch (cause) {
    throw new Error(`ejabberd is not installed (no ${CTL}): apt-get install ejabberd`, {
      cause,
    });
  }
  return parseErlangInstall(script);
}

/**
 * Finds the `ERL=` and `ERL_LIBS=` assignments in the text of an ejabberdctl script.
 *
 * @param script The script's text.
 * @returns The install paths (`erl` defaults to `/usr/bin/erl`).
 * @throws {Error} When the script sets no `ERL_LIBS`.
 */
export function parseErlangInstall(script: string): ErlangInstall {
  const value = (name: string) =>
    script.match(new RegExp(`^${name}=["']?([^"'\\s]+)["']?\\s*$`, "m"))?.[1];
  const erlLibs = value("ERL_LIBS");
  if (erlLibs === undefined) throw new Error(`Cannot find ERL_LIBS in ${CTL}`);
  return { erl: value("ERL") ?? "/usr/bin/erl", erlLibs };
}

/**
 * Builds the command that runs ejabberd in the foreground with its console written to
 * `dir/console.log`.
 *
 * @param options Paths and owner of the server.
 * @returns The command to spawn (through `/bin/sh` for the redirection).
 * @throws {TypeError} When a path would need escaping in an Erlang string.
 */
export function ejabberdCommand(options: EjabberdCommandOptions): LaunchCommand {
  const { dir, configFile, ownerPid, install } = options;
  for (const path of [dir, configFile]) {
    if (/["\\\n\r]/.test(path)) {
      throw new TypeError(`Cannot pass "${path}" to Erlang as a string`);
    }
  }
  // The watchdog makes a server whose test process died (even by SIGKILL) remove its
  // directory and halt, so no test ever leaves one behind.
  const watchdog = [
    "spawn(fun Watch() ->",
    "  receive after 200 -> ok end,",
    `  case filelib:is_dir("/proc/${ownerPid}") of`,
    "    true -> Watch();",
    `    false -> file:del_dir_r("${dir}"), erlang:halt(0)`,
    "  end",
    "end).",
  ].join(" ");
  return {
    program: "/bin/sh",
    args: [
      "-c",
      'exec "$0" "$@" >>"$FLUUX_CONSOLE" 2>&1',
      install.erl,
      // The emulator flags of Debian's ejabberdctl and /etc/default/ejabberd.
      "+K",
      "true",
      "+P",
      "250000",
      "-env",
      "ERL_CRASH_DUMP_BYTES",
      "0",
      "-noinput",
      // As `ejabberdctl foreground-quiet`: the console, which would repeat the whole log, only
      // shows critical messages, so console.log keeps what the log cannot (boot failures,
      // VM crashes).
      "-ejabberd",
      "quiet",
      "true",
      "-mnesia",
      "dir",
      `"${dir}/spool"`,
      "-s",
      "ejabberd",
      "-eval",
      watchdog,
    ],
    env: {
      PATH: options.path,
      // Nothing may be written to the real home (Erlang and ext_mod use it).
      HOME: dir,
      LANG: "C.UTF-8",
      FLUUX_CONSOLE: `${dir}/console.log`,
      EJABBERD_CONFIG_PATH: configFile,
      EJABBERD_LOG_PATH: `${dir}/logs/ejabberd.log`,
      ERL_LIBS: install.erlLibs,
      ERL_CRASH_DUMP: `${dir}/logs/erl_crash.dump`,
      ERL_MAX_PORTS: "32000",
      ERL_MAX_ETS_TABLES: "1400",
      // Debian points these at /etc/ejabberd/modules.d, which only root and ejabberd may read.
      CONTRIB_MODULES_PATH: `${dir}/modules`,
      CONTRIB_MODULES_CONF_DIR: `${dir}/modules.d`,
    },
  };
}
