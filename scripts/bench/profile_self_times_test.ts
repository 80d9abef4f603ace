import { assertEquals } from "../../tests/support/assert.ts";
import type { CpuProfile } from "./profile.ts";
import { selfTimes } from "./profile_self_times.ts";

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
