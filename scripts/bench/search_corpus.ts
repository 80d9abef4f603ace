/**
 * A generated memory for the search bench: archived sessions of one conversation, made of
 * exchanges in pseudo-words (a Zipf-like mix of common and rare words), with 1,000 distinct
 * facts said along the way. Deterministic for a seed.
 *
 * @module
 */
import { join } from "node:path";
import { chunkSession } from "../../src/search/chunk_session.ts";
import type { Embedder } from "../../src/search/mod.ts";

/** A fact of the corpus and the question that should find it. */
export interface Fact {
  text: string;
  query: string;
}

/** A seeded pseudo-random number generator (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = (
  "the of and to a in is it you that he was for on are with as I his they be at one have " +
  "this from or had by not word but what some we can out other were all there when up use " +
  "your how said an each she which do their time if will way about many then them write " +
  "would like so these her long make thing see him two has look more day could go come did"
).split(" ");
const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ren",
  "tas",
  "vu",
  "zel",
  "dor",
  "fin",
  "gra",
  "hul",
  "ix",
  "jon",
  "pel",
  "quo",
  "sar",
  "tib",
  "wex",
  "yon",
  "bra",
];
const NAMES = [
  "Alice",
  "Bruno",
  "Chiara",
  "Dmitri",
  "Esther",
  "Farid",
  "Greta",
  "Hiroshi",
  "Ines",
  "Jonas",
  "Kavya",
  "Lars",
  "Mireille",
  "Nadia",
  "Oskar",
  "Priya",
  "Quentin",
  "Rosa",
  "Sven",
  "Tamsin",
  "Ugo",
  "Vera",
  "Wendell",
  "Ximena",
  "Yusuf",
  "Zora",
  "Anselm",
  "Beatriz",
  "Cyril",
  "Dagny",
  "Emeka",
  "Fiona",
  "Gideon",
  "Hana",
  "Ivo",
  "Juno",
  "Kofi",
  "Leila",
  "Matteo",
  "Noor",
];
const ADJECTIVES = [
  "amber",
  "brass",
  "cobalt",
  "dented",
  "emerald",
  "faded",
  "gilded",
  "hollow",
  "ivory",
  "jagged",
  "knotted",
  "lacquered",
  "mossy",
  "nickel",
  "opal",
  "pewter",
  "quilted",
  "rusted",
  "silver",
  "tartan",
  "umber",
  "velvet",
  "woven",
  "yellowed",
  "zinc",
];
const OBJECTS = [
  "lantern",
  "compass",
  "notebook",
  "kettle",
  "violin",
  "telescope",
  "umbrella",
  "teapot",
  "bicycle",
  "harmonica",
  "camera",
  "backpack",
  "chessboard",
  "typewriter",
  "kayak",
  "clock",
  "sextant",
  "ukulele",
  "microscope",
  "trowel",
  "scarf",
  "suitcase",
  "globe",
  "abacus",
  "metronome",
  "hammock",
  "snowboard",
  "easel",
  "tripod",
  "accordion",
  "binoculars",
  "canteen",
  "dulcimer",
  "flute",
  "gramophone",
  "hourglass",
  "inkwell",
  "jukebox",
  "keyboard",
  "loom",
];
const PLACES = [
  "attic",
  "garage",
  "cellar",
  "study",
  "greenhouse",
  "boathouse",
  "pantry",
  "barn",
  "loft",
  "shed",
];

/** A corpus: its files' folder, its facts, and how many chunks it makes. */
export interface Corpus {
  chunks: number;
  facts: Fact[];
  files: number;
  bytes: number;
}

/**
 * Writes archived sessions under `{dataDir}/{jid}/sessions/` until they make at least
 * `chunks` chunks (by the indexer's own chunking), the 1,000 facts spread among them.
 */
export async function writeCorpus(
  dataDir: string,
  jid: string,
  chunks: number,
  seed = 7,
): Promise<Corpus> {
  const next = random(seed);
  const vocabulary = Array.from({ length: 20_000 }, () => {
    const length = 2 + Math.floor(next() * 3);
    return Array.from({ length }, () => SYLLABLES[Math.floor(next() * SYLLABLES.length)]).join("");
  });
  const word = () => {
    // Roughly Zipf: common words half the time, then a long tail of rarer ones.
    if (next() < 0.45) return COMMON[Math.floor(next() * COMMON.length)]!;
    return vocabulary[Math.floor(Math.pow(next(), 2.2) * vocabulary.length)]!;
  };
  const sentence = (words: number) => Array.from({ length: words }, word).join(" ") + ".";
  const facts = makeFacts(next);
  const folder = join(dataDir, jid, "sessions");
  await Deno.mkdir(folder, { recursive: true });
  const encoder = new TextEncoder();
  let made = 0;
  let files = 0;
  let bytes = 0;
  let factIndex = 0;
  // Facts spread evenly over the first 10k chunks' worth of exchanges (so that both corpus
  // sizes hold them all), then plain exchanges.
  // About 1.6 exchanges make a chunk: the facts fill the first min(chunks, 10k) chunks.
  const exchangesPerFact = Math.max(1, Math.floor((1.2 * Math.min(chunks, 10_000)) / facts.length));
  for (let file = 0; made < chunks; file++) {
    const start = Date.parse("2025-01-01T00:00:00Z") + file * 86_400_000;
    const lines = [
      JSON.stringify({ type: "session", version: 1, created: new Date(start).toISOString(), jid }),
    ];
    for (let i = 0; i < 400; i++) {
      const ts = new Date(start + i * 60_000).toISOString();
      const said = factIndex < facts.length && (files * 400 + i) % exchangesPerFact === 0
        ? `${sentence(8)} ${facts[factIndex++]!.text} ${sentence(6)}`
        : sentence(35 + Math.floor(next() * 40));
      lines.push(JSON.stringify({ type: "message", role: "user", content: said, ts }));
      lines.push(
        JSON.stringify({
          type: "message",
          role: "assistant",
          content: sentence(30 + Math.floor(next() * 50)),
          ts,
        }),
      );
    }
    const data = encoder.encode(lines.join("\n") + "\n");
    const { chunks: cut } = chunkSession({ bytes: data, line: 1, byte: 0, seq: 0 }, {
      fallbackDate: new Date(start).toISOString(),
    });
    const name = new Date(start).toISOString().slice(0, 10).replaceAll("-", "") + "-000000.jsonl";
    await Deno.writeFile(join(folder, name), data);
    made += cut.length;
    files++;
    bytes += data.length;
  }
  if (factIndex < facts.length) {
    throw new RangeError(`Only ${factIndex} facts fit in ${chunks} chunks`);
  }
  return { chunks: made, facts, files, bytes };
}

/** 1,000 facts, each a distinct name, adjective and object. */
function makeFacts(next: () => number): Fact[] {
  const seen = new Set<string>();
  const facts: Fact[] = [];
  while (facts.length < 1000) {
    const name = NAMES[Math.floor(next() * NAMES.length)]!;
    const adjective = ADJECTIVES[Math.floor(next() * ADJECTIVES.length)]!;
    const object = OBJECTS[Math.floor(next() * OBJECTS.length)]!;
    const key = `${name} ${adjective} ${object}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const place = PLACES[Math.floor(next() * PLACES.length)]!;
    facts.push({
      text: `${name} keeps the ${adjective} ${object} in the ${place}.`,
      query: `Where does ${name} keep the ${adjective} ${object}?`,
    });
  }
  return facts;
}

/** Random queries of two to four corpus-like words. */
export function randomQueries(count: number, seed = 11): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const words = 2 + Math.floor(next() * 3);
    return Array.from({ length: words }, () => {
      const pick = next();
      if (pick < 0.3) return COMMON[Math.floor(next() * COMMON.length)]!;
      if (pick < 0.6) return OBJECTS[Math.floor(next() * OBJECTS.length)]!;
      return Array.from(
        { length: 2 + Math.floor(next() * 2) },
        () => SYLLABLES[Math.floor(next() * SYLLABLES.length)],
      ).join("");
    }).join(" ");
  });
}

/**
 * An embedder that costs almost nothing (a seeded unit vector per text), so that the index's
 * own time can be measured; the time spent in it is counted apart in `ms`.
 */
export function benchEmbedder(dimensions: number): Embedder & { ms: number; texts: number } {
  const embedder = {
    model: `bench-${dimensions}`,
    ms: 0,
    texts: 0,
    embed(texts: readonly string[]) {
      const started = performance.now();
      const vectors = texts.map((text) => {
        let seed = 0x811c9dc5;
        for (let i = 0; i < text.length; i++) {
          seed = Math.imul(seed ^ text.charCodeAt(i), 0x01000193);
        }
        const next = random(seed);
        const vector = Float32Array.from({ length: dimensions }, () => next() * 2 - 1);
        let norm = 0;
        for (const x of vector) norm += x * x;
        norm = Math.sqrt(norm) || 1;
        for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
        return vector;
      });
      embedder.ms += performance.now() - started;
      embedder.texts += texts.length;
      return Promise.resolve(vectors);
    },
  };
  return embedder;
}
