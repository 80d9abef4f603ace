/**
 * Unlocks a room the agent's join created (XEP-0045 status 201): a new room on a default
 * Prosody or ejabberd refuses everyone else until its owner configures it. With no settings
 * the agent accepts the service's defaults (instant room, §10.1.2); with settings it asks for
 * the configuration form and submits them (§10.1.3). If that submission is refused, the
 * instant room is the fallback, so that people can still join.
 *
 * @module
 */
import { errorMessage, type Logger } from "../log/mod.ts";
import type { IqRequest } from "./muc_services.ts";
import {
  buildConfigFormRequest,
  buildConfigSubmit,
  buildInstantRoom,
  hasRoomConfig,
  type RoomConfigValues,
} from "./xep_0045_muc_owner.ts";
import { xml, type XmlElement } from "./_xml.ts";

/** Options of {@linkcode configureNewRoom}. */
export interface RoomSetupOptions {
  request: IqRequest;
  logger: Logger;
  /** The address the agent joined from (component mode); absent in client mode. */
  from?: string | undefined;
  /** How long to wait for each answer. @default {10000} */
  timeoutMs?: number;
}

/**
 * Configures a room the agent has just created, as its owner. Never rejects: failures are
 * logged (the room then stays locked until an owner configures it).
 *
 * @param room The room's bare JID.
 * @param values The settings to submit; none means the service's defaults.
 * @param options How to send IQs and where to log.
 * @returns Whether the room was unlocked.
 */
export async function configureNewRoom(
  room: string,
  values: RoomConfigValues,
  options: RoomSetupOptions,
): Promise<boolean> {
  const { logger } = options;
  if (hasRoomConfig(values)) {
    try {
      const form = await ask(room, "get", buildConfigFormRequest(), options);
      const { query, missing } = buildConfigSubmit(form, values);
      await ask(room, "set", query, options);
      const skipped = missing.length === 0
        ? ""
        : `; the service offers no ${missing.map((name) => `"${name}"`).join(", ")}`;
      logger.info(`Created ${room} and configured it (${describe(values)})${skipped}`);
      return true;
    } catch (error) {
      logger.warn(
        `Could not configure the new room ${room} (${describe(values)}): ${reason(error)}; ` +
          "accepting the service's defaults instead",
      );
    }
  }
  try {
    await ask(room, "set", buildInstantRoom(), options);
    logger.info(`Created ${room} with the service's default configuration (instant room)`);
    return true;
  } catch (error) {
    logger.warn(
      `Could not unlock the new room ${room}: ${reason(error)}; ` +
        "it stays locked until its owner configures it",
    );
    return false;
  }
}

function ask(
  room: string,
  type: "get" | "set",
  query: XmlElement,
  options: RoomSetupOptions,
): Promise<XmlElement> {
  const iq = xml("iq", { type, to: room, from: options.from, id: crypto.randomUUID() }, query);
  return options.request(iq, options.timeoutMs ?? 10_000);
}

function describe(values: RoomConfigValues): string {
  const parts: string[] = [];
  if (values.name !== undefined) parts.push(`name "${values.name}"`);
  if (values.persistent !== undefined) parts.push(values.persistent ? "persistent" : "temporary");
  if (values.public !== undefined) parts.push(values.public ? "public" : "hidden");
  if (values.membersOnly !== undefined) {
    parts.push(values.membersOnly ? "members only" : "open");
  }
  if (values.whois !== undefined) parts.push(`real JIDs visible to ${values.whois}`);
  if (values.password !== undefined) parts.push("password protected");
  return parts.join(", ");
}

function reason(error: unknown): string {
  const condition = (error as { condition?: unknown } | null)?.condition;
  if (typeof condition === "string") return `the room answered "${condition}"`;
  if (error instanceof Error && error.name === "TimeoutError") return "no answer";
  return errorMessage(error);
}
