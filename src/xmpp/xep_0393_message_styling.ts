/**
 * XEP-0393: Message Styling. LLMs answer in Markdown; XMPP clients (Conversations, Dino,
 * Gajim, Monal, Cheogram…) render the plain-text styling of this XEP instead: `*bold*`,
 * `_italic_`, `~strike~`, `` `code` ``, ```` ``` ```` blocks and `> ` quotes. What has no
 * styling equivalent is turned into text that reads well as it is: a heading becomes a bold
 * line, a table one line per row, a link its text and its address, a bullet `•`.
 *
 * @see https://xmpp.org/extensions/xep-0393.html
 * @module
 */

/** The message styling namespace (advertised in disco#info, §7). */
export const NS_STYLING = "urn:xmpp:styling:0";

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*).*$/;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const BULLET = /^(\s*)[*+-]\s+(.*)$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(?:\|\s*:?-{1,}:?\s*)*\|?\s*$/;

/**
 * Converts an LLM's Markdown answer into XEP-0393 styled text.
 *
 * @param markdown The answer.
 * @returns The text to send as the message body.
 *
 * @example
 * ```ts
 * markdownToStyling("## Plan\n**Go** to [the docs](https://example.org)");
 * // "*Plan*\n*Go* to the docs (https://example.org)"
 * ```
 */
export function markdownToStyling(markdown: string): string {
  const lines = markdown.replaceAll("\r\n", "\n").split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence !== null) {
      const marker = fence[1]!;
      out.push(`\`\`\`${fence[2] ?? ""}`);
      let closed = false;
      for (i++; i < lines.length; i++) {
        const inner = lines[i]!;
        if (
          inner.trim().startsWith(marker[0]!.repeat(marker.length)) &&
          inner.trim().replace(/[`~]/g, "") === ""
        ) {
          closed = true;
          break;
        }
        out.push(inner);
      }
      out.push("```");
      if (!closed) break;
      continue;
    }
    const next = lines[i + 1];
    if (
      line.includes("|") && next !== undefined && next.includes("-") && TABLE_SEPARATOR.test(next)
    ) {
      const header = cells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.includes("|") && lines[i]!.trim() !== ""; i++) {
        rows.push(cells(lines[i]!));
      }
      i--;
      out.push(...tableLines(header, rows));
      continue;
    }
    out.push(blockLine(line));
  }
  return out.join("\n");
}

/** One line outside code blocks and tables. */
function blockLine(line: string): string {
  const heading = HEADING.exec(line);
  if (heading !== null) {
    const text = inline(heading[1]!.replace(/\*\*|__/g, ""));
    return text === "" ? "" : `*${text}*`;
  }
  if (RULE.test(line)) return "———";
  const quote = QUOTE.exec(line);
  if (quote !== null) return `> ${blockLine(quote[1]!)}`.trimEnd();
  const bullet = BULLET.exec(line);
  if (bullet !== null) {
    const item = bullet[2]!.replace(
      /^\[( |x|X)\]\s+/,
      (_, mark: string) => mark === " " ? "☐ " : "☑ ",
    );
    return `${bullet[1]}• ${inline(item)}`;
  }
  return inline(line);
}

/** The cells of a table row. */
function cells(row: string): string[] {
  return row.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((cell) => cell.trim());
}

/**
 * A table as one line per row: `• first: second` for two columns, else the first cell
 * followed by the others named by their column (`• Alice — Age: 30; City: Lyon`).
 */
function tableLines(header: string[], rows: string[][]): string[] {
  if (rows.length === 0) return [inline(header.join(" · "))];
  return rows.map((row) => {
    const [first = "", ...rest] = row.map((cell) => inline(cell));
    if (header.length <= 1) return `• ${first}`;
    if (header.length === 2) return `• ${first}: ${rest[0] ?? ""}`.trimEnd();
    const named = rest.flatMap((cell, i) => {
      if (cell === "") return [];
      const name = inline(header[i + 1] ?? "");
      return [name === "" ? cell : `${name}: ${cell}`];
    });
    return named.length === 0 ? `• ${first}` : `• ${first} — ${named.join("; ")}`;
  });
}

// Placeholders keep code spans, addresses and escaped characters away from the emphasis rules.
const OPEN = "\u{e000}";
const CLOSE = "\u{e001}";
const BOLD = "\u{e002}";

/**
 * What any rule of {@linkcode inline} starts with (a bare address comes out as it went in): a
 * line without one is its own result, which spares most lines of an answer a dozen passes.
 */
const INLINE_MARKUP = /[\\`[<*_~\u{e000}-\u{e002}]/u;

/** Inline Markdown of one line: emphasis, code spans, links, escapes. */
function inline(text: string): string {
  if (!INLINE_MARKUP.test(text)) return text;
  const kept: string[] = [];
  const keep = (value: string) => `${OPEN}${kept.push(value) - 1}${CLOSE}`;
  let result = text
    .replace(/\\([\\`*_{}[\]()#+\-.!~|>])/g, (_, char: string) => keep(char))
    .replace(
      /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g,
      (_, _ticks: string, code: string) => keep(`\`${code.trim()}\``),
    )
    .replace(
      /!\[([^\]]*)\]\((\S+?)(?:\s+"[^"]*")?\)/g,
      (_, alt: string, url: string) => alt.trim() === "" ? keep(url) : `${alt}: ${keep(url)}`,
    )
    .replace(/\[([^\]]+)\]\((\S+?)(?:\s+"[^"]*")?\)/g, (_, label: string, url: string) => {
      const bare = url.replace(/^mailto:/, "");
      return label === url || label === bare ? keep(bare) : `${label} (${keep(bare)})`;
    })
    .replace(/<((?:https?|xmpp|mailto):[^>\s]+)>/g, (_, url: string) => keep(url))
    .replace(/\b(?:https?|xmpp):\/\/[^\s<>()]+[^\s<>().,;:!?'"]/g, (url) => keep(url));
  result = result
    // A run of four or more stars or underscores is text (a masked secret, a blank to fill).
    .replace(/\*{4,}|_{4,}/g, (run) => keep(run))
    .replace(/\*\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*\*/g, `${BOLD}_$1_${BOLD}`)
    .replace(/\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/(^|[^\w])__(?=\S)(.+?)(?<=\S)__(?!\w)/g, `$1${BOLD}$2${BOLD}`)
    .replace(/(^|[^\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])/g, "$1_$2_")
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, "~$1~")
    .replaceAll(BOLD, "*");
  return result.replace(
    new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g"),
    (_, n: string) => kept[Number(n)] ?? "",
  );
}
