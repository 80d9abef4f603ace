// A process-isolated call the way a compiled executable makes it: the executable re-runs
// itself as `skill-child`. `deno compile` cannot run here, so the executable is a script
// running `deno run` with exactly the flags and baked arguments `compile --dry-run` prints.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runInProcess } from "./_process_engine.ts";
import { loadUserSkills } from "./load_user_skills.ts";
import { parseChildArgs } from "./standalone_child.ts";
import { processPermissionFlags, skillGrant } from "./skill_grant.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));
const SOURCE = fileURLToPath(new URL("../", import.meta.url));
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  `${Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`}/deno`;

const PROBE = `
export async function run(input: { target: string }, context: { stateDir: string }) {
  const target = input.target;
  if (target.startsWith("http")) return "fetched: " + await (await fetch(target)).text();
  if (target.startsWith("read:")) return await Deno.readTextFile(target.slice(5));
  if (target.startsWith("import:")) {
    return (await import("file://" + target.slice(7), { with: { type: "text" } })).default;
  }
  await Deno.mkdir(context.stateDir + "/notes", { recursive: true });
  await Deno.writeTextFile(context.stateDir + "/notes/n.txt", "noted");
  return "wrote";
}
`;

/** A deployment with one process-isolated user skill, and its "executable". */
async function deployment(allowedPort: number, otherPort: number) {
  const dir = await Deno.makeTempDir({ prefix: "fluux-exe-" });
  await Deno.mkdir(join(dir, "config"));
  await Deno.mkdir(join(dir, "skills", "probe"), { recursive: true });
  await Deno.writeTextFile(
    join(dir, "config", "agent.toml"),
    `[server]\nhost = "127.0.0.1"\nport = 9\njid = "bot@localhost"\npassword = "x"\n` +
      `[llm]\nprovider = "ollama"\nmodel = "m"\nhost = "http://127.0.0.1:${otherPort}"\n` +
      `[skills]\ndir = "./skills"\n`,
  );
  await Deno.writeTextFile(
    join(dir, "skills", "probe", "skill.toml"),
    `name = "probe"\ndescription = "Probe"\nisolation = "process"\n` +
      `[parameters]\ntype = "object"\n[parameters.properties.target]\ntype = "string"\n` +
      `[capabilities]\nnetwork = ["127.0.0.1:${allowedPort}"]\nwrite = ["notes"]\n`,
  );
  await Deno.writeTextFile(join(dir, "skills", "probe", "mod.ts"), PROBE);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "compile", "--dry-run", "--output", "fluux-agent"],
    cwd: dir,
    env: { DENO_DIR },
  }).output();
  const words = new TextDecoder().decode(output.stdout).trim().split(" ");
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const entry = words.indexOf(MAIN);
  const flags = words.slice(2, entry).filter((word) => /^--(allow|unstable)-/.test(word));
  const executable = join(dir, "fluux-agent");
  // A compiled executable may read its own embedded modules without any flag (Deno grants
  // read on them); run from the checkout, that is read on the program's source.
  const asExecutable = flags.map((flag) =>
    flag.startsWith("--allow-read=") ? `${flag},${SOURCE}` : flag
  );
  // Started where the agent runs (the child inherits the agent's working directory).
  await Deno.writeTextFile(
    executable,
    `#!/bin/sh\ncd '${dir}' && exec '${Deno.execPath()}' run --quiet --no-prompt ` +
      `${asExecutable.join(" ")} '${MAIN}' ${words.slice(entry + 1).join(" ")} "$@"\n`,
  );
  await Deno.chmod(executable, 0o755);
  const { sources } = await loadUserSkills(join(dir, "skills"));
  const source = sources[0]!;
  const stateDir = join(dir, "data", "memory", "skills", "probe");
  await Deno.mkdir(stateDir, { recursive: true });
  // As the runner grants a user skill: its manifest's paths, and its folder, to load its code.
  const grant = skillGrant(source.manifest, { stateDir });
  grant.read.push(source.folder!);
  const call = (target: string, childFlags?: string[]) =>
    runInProcess({
      module: source.module,
      confined: true,
      timeoutMs: 20_000,
      message: {
        type: "run",
        input: { target },
        context: { credentials: {}, stateDir, settings: {} },
      },
    }, {
      denoPath: executable,
      flags: childFlags ?? processPermissionFlags(grant),
      memoryMb: 64,
      env: { DENO_DIR },
      standalone: true,
    });
  return { dir, flags, stateDir, call };
}

Deno.test("compile bakes what an executable's skill child needs: itself to run, the skill's hosts, worker options", async () => {
  const exe = await deployment(4101, 4102);
  try {
    assert.ok(exe.flags.includes("--allow-run=./fluux-agent,fluux-agent"), exe.flags.join(" "));
    assert.ok(exe.flags.includes("--unstable-worker-options"), exe.flags.join(" "));
    const net = exe.flags.find((flag) => flag.startsWith("--allow-net="))!;
    assert.ok(net.split(/[=,]/).includes("127.0.0.1:4101"), net);
  } finally {
    await Deno.remove(exe.dir, { recursive: true });
  }
});

Deno.test("an executable's skill child confines the skill to its manifest inside the executable's own grant", async () => {
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("hello"),
  );
  const exe = await deployment(server.addr.port, 4103);
  try {
    assert.deepEqual(await exe.call(`http://127.0.0.1:${server.addr.port}/`), {
      type: "result",
      content: "fetched: hello",
      untrusted: false,
    });
    assert.deepEqual(await exe.call("write"), {
      type: "result",
      content: "wrote",
      untrusted: false,
    });
    assert.equal(await Deno.readTextFile(join(exe.stateDir, "notes", "n.txt")), "noted");
    // The executable may reach the LLM and read its config; the skill may not.
    const host = await exe.call("http://127.0.0.1:4103/");
    assert.equal(host.type, "denied");
    assert.deepEqual(host.type === "denied" && [host.permission, host.target], [
      "net",
      "127.0.0.1:4103",
    ]);
    const config = await exe.call(`read:${exe.dir}/config/agent.toml`);
    assert.equal(config.type === "denied" && config.permission, "read");
    // Nor load it as a module: the skill's code loads under the worker's permissions.
    const imported = await exe.call(`import:${exe.dir}/config/agent.toml`);
    assert.equal(imported.type === "denied" && imported.permission, "read", String(imported));
    // A grant the executable does not hold itself is refused before the skill runs.
    const any = await exe.call("http://127.0.0.1:4103/", ["--allow-net"]);
    assert.equal(any.type, "denied");
    assert.match(
      any.type === "denied" ? any.message : "",
      /^This executable does not hold net access to "any host", so it cannot pass it on/,
    );
  } finally {
    await Deno.remove(exe.dir, { recursive: true });
  }
});

Deno.test("parseChildArgs() reads the flags into worker permissions, every key explicit", () => {
  assert.deepEqual(
    parseChildArgs([
      "--allow-net=a.example:443,b.example",
      "--allow-read=/s/r",
      "--allow-write=/s/w",
      "--confined",
      "--timeout-ms=3000",
      "file:///x/mod.ts",
    ]),
    {
      module: new URL("file:///x/mod.ts"),
      confined: true,
      timeoutMs: 3000,
      permissions: {
        net: ["a.example:443", "b.example"],
        read: ["/s/r"],
        write: ["/s/w"],
        env: false,
        run: false,
        ffi: false,
        sys: false,
        import: false,
      },
    },
  );
  assert.equal(
    parseChildArgs(["--allow-net", "--timeout-ms=1", "file:///m.ts"]).permissions.net,
    true,
  );
  assert.throws(() => parseChildArgs(["--allow-run=sh", "--timeout-ms=1", "file:///m.ts"]), {
    name: "TypeError",
    message: 'Unexpected argument "--allow-run=sh"',
  });
  assert.throws(() => parseChildArgs(["file:///m.ts"]), /Expected --timeout-ms=<ms>/);
});
