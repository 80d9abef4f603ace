/**
 * `/tier` (developer command): `/tier` shows each tier's model and the fallback chain,
 * `/tier <name>` forces a tier for this conversation's answers, `/tier reset` ends that.
 *
 * @module
 */
import type { Command } from "./command.ts";

/** One tier as `/tier` shows it. */
export interface TierView {
  tier: string;
  /** The model id serving it. */
  model: string;
  /** Whether the config names a model for this tier itself (else the standard tier's). */
  configured: boolean;
  /** The tier's model, then the fallback models. */
  chain: readonly string[];
}

/** What `/tier` works through (the LLM layer's `TierOverrides` is one). */
export interface TierControl {
  /** Every tier, in order. */
  routes(): readonly TierView[];
  /** The tier forced for a conversation, if any. */
  forced(conversation: string): string | undefined;
  /** Forces a tier; throws a `RangeError` naming the tiers for a name that is not one. */
  force(conversation: string, tier: string): void;
  /** Ends a forced tier; whether one was forced. */
  reset(conversation: string): boolean;
}

/**
 * The `/tier` command, forcing tiers per conversation (a bare JID, or a room for everyone in
 * it). Choices last until `/tier reset` or the agent restarts.
 *
 * @param control The tiers and the per-conversation choices
 */
export function tierCommands(control: TierControl): Command[] {
  return [{
    name: "tier",
    summary: "Show each tier's model; /tier <name> forces one here, /tier reset ends it",
    dev: true,
    args: { label: "A tier name, or reset (empty: show the tiers)", required: false },
    run({ jid, args }) {
      const routes = control.routes();
      if (args === "") return Promise.resolve(describeTiers(routes, control.forced(jid)));
      if (args.toLowerCase() === "reset") {
        return Promise.resolve(
          control.reset(jid)
            ? "Tier reset: each call in this conversation uses its own tier again."
            : "No tier is forced in this conversation.",
        );
      }
      const name = args.toLowerCase();
      const route = routes.find((view) => view.tier === name);
      if (route === undefined || /\s/.test(args)) {
        const names = routes.map((view) => view.tier).join(", ");
        return Promise.resolve(
          `Unknown tier "${args}". Tiers: ${names}. Usage: /tier [<name>|reset]`,
        );
      }
      control.force(jid, route.tier);
      const served = route.configured ? route.model : `not configured: ${route.model}, as standard`;
      return Promise.resolve(
        `This conversation now uses the ${route.tier} tier (${served}) for every answer, ` +
          "until /tier reset or a restart.",
      );
    },
  }];
}

function describeTiers(routes: readonly TierView[], forced: string | undefined): string {
  const lines = routes.map((view) =>
    `- ${view.tier}: ${view.configured ? view.model : `${view.model} (not configured: standard's)`}`
  );
  const fallback = routes[0]?.chain.filter((id) => id !== routes[0]?.model) ?? [];
  return [
    "Tiers:",
    ...lines,
    `Fallback: ${fallback.length === 0 ? "none" : fallback.join(", ")}`,
    forced === undefined
      ? "This conversation: each call's own tier"
      : `This conversation: ${forced} forced (until /tier reset)`,
  ].join("\n");
}
