import { assertEquals } from "../../tests/support/assert.ts";
import { checkSender } from "./policy.ts";

const rules = { allowedJids: ["admin@localhost"], allowedDomains: [], ownDomain: "localhost" };

Deno.test("checkSender() allows a listed JID of the agent's own domain", () => {
  assertEquals(checkSender("admin@localhost", rules), { allowed: true });
});

Deno.test("checkSender() rejects a stranger with the reason", () => {
  assertEquals(checkSender("eve@localhost", rules), {
    allowed: false,
    reason: '"eve@localhost" is not in agent.allowed_jids',
  });
});

Deno.test("checkSender() checks the domain before the JID", () => {
  const listed = { ...rules, allowedJids: ["admin@localhost", "admin@evil.example"] };
  assertEquals(checkSender("admin@evil.example", listed).allowed, false);
  assertEquals(
    checkSender("admin@evil.example", { ...listed, allowedDomains: ["evil.example"] }).allowed,
    true,
  );
});

Deno.test("checkSender() treats * as any JID, but still within allowed domains", () => {
  const open = { ...rules, allowedJids: ["*"] };
  assertEquals(checkSender("anyone@localhost", open).allowed, true);
  assertEquals(checkSender("anyone@elsewhere.org", open).allowed, false);
  assertEquals(
    checkSender("anyone@elsewhere.org", { ...open, allowedDomains: ["*"] }).allowed,
    true,
  );
});

Deno.test("checkSender() allows nobody when nothing is configured", () => {
  assertEquals(checkSender("admin@localhost", { ...rules, allowedJids: [] }).allowed, false);
});
