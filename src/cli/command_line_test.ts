import assert from "node:assert/strict";
import { splitCommand } from "./command_line.ts";

Deno.test("splitCommand() takes the first word that is no option nor --config's value", () => {
  assert.deepEqual(splitCommand(["check", "--config", "a.toml"]), {
    command: "check",
    rest: ["--config", "a.toml"],
    after: ["--config", "a.toml"],
  });
  // What a compiled executable receives: its baked --config, then what it was given.
  assert.deepEqual(splitCommand(["--config", "config/agent.toml", "permissions", "--no-secrets"]), {
    command: "permissions",
    rest: ["--config", "config/agent.toml", "--no-secrets"],
    after: ["--no-secrets"],
  });
  assert.equal(splitCommand(["--config=a.toml", "--no-secrets", "check"]).command, "check");
});

Deno.test("splitCommand() finds no command in options alone or after --", () => {
  assert.equal(splitCommand([]).command, undefined);
  assert.equal(splitCommand(["--config", "check"]).command, undefined);
  assert.deepEqual(splitCommand(["--config", "a.toml", "--", "check"]), {
    command: undefined,
    rest: ["--config", "a.toml", "--", "check"],
    after: [],
  });
});
