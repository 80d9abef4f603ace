import { assertEquals } from "../../tests/support/assert.ts";
import type { CpuProfile } from "./profile.ts";
import { areaTimes, selfTimes } from "./profile_self_times.ts";

const ROOT = "file:///app/";

Deno.test("selfTimes() sums samples per function and file, idle left out, largest first", () => {
  const frame = (functionName: string, url: string, lineNumber = 0) => ({
    functionName,
    url,
    lineNumber,
  });
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", "") },
      { id: 2, callFrame: frame("send", `${ROOT}src/xmpp/_session.ts`, 9) },
      { id: 3, callFrame: frame("send", `${ROOT}src/xmpp/_session.ts`, 9) },
      { id: 4, callFrame: frame("(idle)", "") },
      {
        id: 5,
        callFrame: frame("", "file:///cache/npm/registry.npmjs.org/ltx/3.1.2/lib/parse.js", 4),
      },
    ],
    samples: [2, 4, 3, 5, 2],
    timeDeltas: [0, 100, 5000, 300, 200, 0],
    startTime: 0,
    endTime: 6000,
  };
  assertEquals(selfTimes(profile, { root: ROOT }), [
    { name: "send", where: "src/xmpp/_session.ts:10", ms: 0.1 + 0.3 },
    { name: "(anonymous)", where: "npm:ltx/3.1.2/lib/parse.js:5", ms: 0.2 },
  ]);
});

Deno.test("areaTimes() sums self times by kind of work, the inspector's own apart", () => {
  const row = (name: string, where: string, ms: number) => ({ name, where, ms });
  assertEquals(
    areaTimes([
      row("op_inspector_emit_protocol_event", "native", 5),
      row("emit", "ext:deno_node/inspector_network_bridge.js:1", 1),
      row("(garbage collector)", "native", 4),
      row("writeUtf8String", "native", 3),
      row("xml", "src/xmpp/_xml.ts:16", 1),
      row("createElement", "npm:ltx/3.1.2/lib/createElement.js:26", 1),
      row("runTurn", "src/agent/turn.ts:26", 2.5),
      row("mainFetch", "ext:deno_fetch/26_fetch.js:2", 0.5),
      row("Timeout", "ext:deno_node/internal/timers.mjs:1", 0.25),
    ]),
    [
      { area: "the inspector itself (only under --inspect)", ms: 6 },
      { area: "garbage collection", ms: 4 },
      { area: "XMPP socket writes (the kernel's wake-up of the reader)", ms: 3 },
      { area: "the agent's own code", ms: 2.5 },
      { area: "XML building", ms: 2 },
      { area: "HTTP client (fetch, headers, streams)", ms: 0.5 },
      { area: "other runtime", ms: 0.25 },
    ],
  );
});
