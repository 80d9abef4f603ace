/** Renders a parsed-value path (`["agent", "allowed_jids", 0]`) as `agent.allowed_jids[0]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") {
      text += `[${part}]`;
      continue;
    }
    const name = String(part);
    const bare = /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
    text += text === "" ? bare : `.${bare}`;
  }
  return text;
}

/** Reads the value at `path` inside a parsed TOML tree, or `undefined` when absent. */
export function valueAt(tree: unknown, path: readonly PropertyKey[]): unknown {
  let node = tree;
  for (const part of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}
