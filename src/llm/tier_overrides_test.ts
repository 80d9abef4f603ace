import assert from "node:assert/strict";
import { TierOverrides } from "./tier_overrides.ts";

const routes = () => [];

Deno.test("TierOverrides forces a tier for one conversation until reset", () => {
  const overrides = new TierOverrides({ routes });
  overrides.force("alice@example.org", "light");
  assert.equal(overrides.tierFor("alice@example.org", "vision"), "light");
  assert.equal(overrides.tierFor("bob@example.org", "vision"), "vision", "others unaffected");
  assert.equal(overrides.forced("alice@example.org"), "light");
  assert.equal(overrides.reset("alice@example.org"), true);
  assert.equal(overrides.tierFor("alice@example.org", "standard"), "standard");
  assert.equal(overrides.reset("alice@example.org"), false);
});

Deno.test("TierOverrides refuses a name that is not a tier", () => {
  const overrides = new TierOverrides({ routes });
  assert.throws(() => overrides.force("alice@example.org", "fast"), {
    name: "RangeError",
    message: 'Unknown tier "fast": expected one of heavy, standard, light, vision',
  });
  assert.equal(overrides.forced("alice@example.org"), undefined);
});
