import { assertEquals } from "../../tests/support/assert.ts";
import { parseDateTime } from "./parse_date_time.ts";

const iso = (text: string, zone = "UTC") => parseDateTime(text, zone)?.toISOString();

Deno.test("parseDateTime() reads offsets and Z", () => {
  assertEquals(iso("2026-03-30T09:00:00+02:00"), "2026-03-30T07:00:00.000Z");
  assertEquals(iso("2026-03-30T09:00+0200"), "2026-03-30T07:00:00.000Z");
  assertEquals(iso("2026-03-30T09:00:00.250-05"), "2026-03-30T14:00:00.250Z");
  assertEquals(iso("2026-03-30t07:00z"), "2026-03-30T07:00:00.000Z");
});

Deno.test("parseDateTime() reads a time without offset as wall time in the zone, DST included", () => {
  assertEquals(iso("2026-03-30 09:00", "Europe/Paris"), "2026-03-30T07:00:00.000Z");
  assertEquals(iso("2026-03-27T09:00", "Europe/Paris"), "2026-03-27T08:00:00.000Z");
  assertEquals(iso("2026-03-27T09:00", "America/New_York"), "2026-03-27T13:00:00.000Z");
  assertEquals(iso("2026-03-27T09:00:00"), "2026-03-27T09:00:00.000Z");
});

Deno.test("parseDateTime() refuses what is not a valid date-time", () => {
  for (
    const text of [
      "2026-02-30T10:00:00Z",
      "2026-13-01T10:00Z",
      "2026-03-30T25:00Z",
      "2026-03-30",
      "tomorrow at 9",
      "2026-03-30T09:00+25:00",
      "",
    ]
  ) assertEquals(parseDateTime(text, "UTC"), undefined, text);
});
