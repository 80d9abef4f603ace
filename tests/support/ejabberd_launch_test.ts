import assert from "node:assert/strict";
import { ejabberdCommand, parseErlangInstall } from "./ejabberd_launch.ts";

const INSTALL = { erl: "/usr/bin/erl", erlLibs: "/usr/lib/x86_64-linux-gnu" };

Deno.test("parseErlangInstall() reads ERL and ERL_LIBS from an ejabberdctl script", () => {
  const script = [
    "#!/bin/bash",
    'ERL="/usr/lib/erlang/bin/erl"',
    "ERL_LIBS='/usr/lib/aarch64-linux-gnu'",
    'exec_cmd "$ERL" ...',
  ].join("\n");
  assert.deepEqual(parseErlangInstall(script), {
    erl: "/usr/lib/erlang/bin/erl",
    erlLibs: "/usr/lib/aarch64-linux-gnu",
  });
  assert.equal(parseErlangInstall("ERL_LIBS=/opt/lib\n").erl, "/usr/bin/erl");
  assert.throws(() => parseErlangInstall('ERL="/usr/bin/erl"\n'), /Cannot find ERL_LIBS/);
});

Deno.test("ejabberdCommand() runs ejabberd with only its own paths in the environment", () => {
  const command = ejabberdCommand({
    dir: "/tmp/srv",
    configFile: "/tmp/srv/ejabberd.yml",
    ownerPid: 4242,
    install: INSTALL,
    path: "/usr/bin:/bin",
  });
  assert.equal(command.program, "/bin/sh");
  assert.equal(command.args[2], "/usr/bin/erl");
  assert.deepEqual(command.env, {
    PATH: "/usr/bin:/bin",
    HOME: "/tmp/srv",
    LANG: "C.UTF-8",
    FLUUX_CONSOLE: "/tmp/srv/console.log",
    EJABBERD_CONFIG_PATH: "/tmp/srv/ejabberd.yml",
    EJABBERD_LOG_PATH: "/tmp/srv/logs/ejabberd.log",
    ERL_LIBS: "/usr/lib/x86_64-linux-gnu",
    ERL_CRASH_DUMP: "/tmp/srv/logs/erl_crash.dump",
    ERL_MAX_PORTS: "32000",
    ERL_MAX_ETS_TABLES: "1400",
    CONTRIB_MODULES_PATH: "/tmp/srv/modules",
    CONTRIB_MODULES_CONF_DIR: "/tmp/srv/modules.d",
  });
  const args = command.args.join(" ");
  assert.match(args, /-mnesia dir "\/tmp\/srv\/spool"/);
  // No Erlang distribution: nothing that could meet the packaged node or its epmd.
  assert.doesNotMatch(args, /-s?name |-setcookie|epmd/);
  assert.match(args, /filelib:is_dir\("\/proc\/4242"\)/);
  assert.match(args, /file:del_dir_r\("\/tmp\/srv"\)/);
});

Deno.test("ejabberdCommand() refuses a path that would break out of an Erlang string", () => {
  assert.throws(
    () =>
      ejabberdCommand({
        dir: '/tmp/a"b',
        configFile: "/tmp/x.yml",
        ownerPid: 1,
        install: INSTALL,
        path: "/usr/bin",
      }),
    TypeError,
  );
});
