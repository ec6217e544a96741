// The front-matter step of the JavaScript pipelines, written the way such
// pipelines do it: find the fenced block at the top (after the blank lines a
// feed bot may leave, as gray-matter would after a trim), parse YAML with
// js-yaml. TOML (`+++`) blocks are cut off but not parsed: no TOML parser is
// part of these pipelines, so on TOML files they do less work than ours.
import { load } from "js-yaml";

const OPEN = /^\uFEFF?\s*(---|\+\+\+)[ \t]*\r?\n/;
const CLOSE = { "---": /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m, "+++": /^\+\+\+[ \t]*(?:\r?\n|$)/m };

export function splitFrontMatter(source) {
  const open = OPEN.exec(source);
  if (!open) return { data: {}, body: source };
  const rest = source.slice(open[0].length);
  const close = CLOSE[open[1]].exec(rest);
  if (!close) return { data: {}, body: source };
  const raw = rest.slice(0, close.index);
  const body = rest.slice(close.index + close[0].length);
  let data = {};
  if (open[1] === "---") {
    try {
      data = load(raw) ?? {};
    } catch {
      // Broken YAML: keep the body, as every pipeline here must not throw.
    }
  }
  return { data, body };
}
