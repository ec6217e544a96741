// The benchmark corpus, generated: the same bytes on every machine for the
// same seed, written from made-up Chinese and English words (no article of
// anyone else). Five classes, shaped like the files the library meets:
//
// - news/      feed-bot posts with raw-HTML bodies (1–20 KB): a blank line
//              before `---`, RFC 2822 dates, `<div>`/`<p cms-style>`, nested
//              `<font>`, HTML comments, a `<style>` block, `&#123;` braces,
//              12-space indented lines after blank lines, images, a promo block;
// - md-plain/  blog posts (1–50 KB): YAML front matter, headings, tables, code
//              fences, lists, task lists, quotes, footnotes, `<!-- more -->`,
//              and no other raw HTML (the bodies issue 18's fast path takes);
// - md-html/   the same posts with raw HTML among the Markdown: `<img>`,
//              `<br>`, `<div align>`, `<details>`, `<kbd>`, `<span style>`,
//              `<sub>`/`<sup>`. Of all generated posts, RAW_HTML_SHARE are
//              these, the share measured in ../shared/corpus;
// - big/       1 MB and 5 MB articles, one Markdown and one HTML of each;
// - scale/     100 KB and 10 MB articles of each kind, for time per MB.
//
// Usage: node bench/corpus.mjs [OUT_DIR]   (default bench/results/corpus;
// BENCH_SEED changes the seed). Writes the files and OUT_DIR/manifest.json,
// and skips the work when the manifest already matches this generator.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const SEED = Number(process.env.BENCH_SEED ?? 20260601);
// Bump when the generator changes, so stale corpora are rebuilt.
const GENERATOR_VERSION = 5;

/**
 * The share of Markdown posts with raw HTML beyond comments, measured in
 * ../shared/corpus by `node bench/raw-html-share.mjs`: on 2026-12-06 (git
 * 45bec38), 78 of the 236 blog posts (Hexo, Hugo, Zola folders; 33.1 %);
 * 47.7 % with the feed bots' posts our detection reads as Markdown, which
 * the news class stands for. The tags most posts carry: `<br>`, `<div>`,
 * `<article>`, `<a>`, `<style>`, `<p>`, `<script>`, `<table>`, `<img>`.
 */
export const RAW_HTML_SHARE = 0.33;
/** Generated blog posts, both Markdown classes together (the smaller about 0.5 MB). */
const POSTS = 150;

const KB = 1024;
const MB = 1024 * KB;

/** mulberry32: a small, fast, seedable PRNG; enough for made-up text. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  // Log-uniform between lo and hi: as many small files as large ones per decade.
  const logUniform = (lo, hi) => Math.round(Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo))));
  return { next, int, pick, chance, logUniform };
}

// Common characters, a few hundred, so the text has the byte shape of
// Chinese prose (three UTF-8 bytes a character) without being anyone's text.
const HANZI = [...(
  "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理世车" +
  "城市场企业服务平台数据网络科技创新金融投资市场消费价格增长发布报告政策规划项目建设交通教育医疗健康文化旅游体育环境能源安全研究人员用户产品技术系统软件模型方法问题结果分析"
)];
const SYLLABLES = [
  "ka", "lo", "ren", "tor", "mi", "sa", "vel", "qua", "dor", "en", "is", "ta", "ri", "mon", "pel", "an",
  "ul", "ber", "co", "nix", "ga", "tem", "so", "lin", "fa", "ro", "dex", "ar", "vi", "nu", "pra", "ex",
];
const SMALL_WORDS = ["the", "a", "of", "and", "to", "in", "is", "for", "on", "with", "as", "by", "it", "at", "from", "that"];
const LANGS = ["rust", "js", "python", "go", "sh", "toml", "json", "c"];
const SOURCES = ["示例财经", "样本科技", "测试日报", "模拟快讯", "演示新闻网"];
const SECTIONS = ["国内", "国际", "公司", "市场", "滚动"];

function words(r) {
  const zhWord = () => {
    let w = "";
    for (let n = r.int(1, 4); n > 0; n--) w += r.pick(HANZI);
    return w;
  };
  const enWord = () => {
    if (r.chance(0.3)) return r.pick(SMALL_WORDS);
    let w = "";
    for (let n = r.int(1, 3); n > 0; n--) w += r.pick(SYLLABLES);
    return w;
  };
  const zhSentence = () => {
    let s = "";
    for (let n = r.int(3, 9); n > 0; n--) s += zhWord() + (n > 1 && r.chance(0.25) ? "，" : "");
    return s + r.pick(["。", "。", "。", "！", "？"]);
  };
  const enSentence = () => {
    const ws = [];
    for (let n = r.int(5, 16); n > 0; n--) ws.push(enWord());
    ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1);
    return ws.join(" ") + r.pick([".", ".", ".", "!", "?"]);
  };
  const zhTitle = () => {
    let s = "";
    for (let n = r.int(3, 7); n > 0; n--) s += zhWord();
    return s;
  };
  const enTitle = () => {
    const ws = [];
    for (let n = r.int(2, 6); n > 0; n--) ws.push(enWord());
    return ws.map((w) => w[0].toUpperCase() + w.slice(1)).join(" ");
  };
  const slug = () => `${r.pick(SYLLABLES)}${r.pick(SYLLABLES)}-${r.int(100, 99999)}`;
  return { zhWord, enWord, zhSentence, enSentence, zhTitle, enTitle, slug };
}

const pad = (n) => String(n).padStart(2, "0");

function rfc2822(r) {
  const d = new Date(Date.UTC(r.int(2015, 2025), r.int(0, 11), r.int(1, 28), r.int(0, 23), r.int(0, 59), r.int(0, 59)));
  return d.toUTCString(); // "Mon, 19 Jul 2021 11:24:48 GMT", weekday right
}
function localDate(r) {
  return `${r.int(2015, 2025)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))} ${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}`;
}
const bytes = (s) => Buffer.byteLength(s, "utf8");

// ---------------------------------------------------------------- news

function newsFrontMatter(r, w) {
  const source = r.pick(SOURCES);
  const cdn = `https://n.img.example/${r.pick(["finance", "tech", "news"])}/${r.int(2015, 2025)}${pad(r.int(1, 12))}${pad(r.int(1, 28))}`;
  const title = r.chance(0.3) ? `${w.zhTitle()} &#123;${w.zhWord()}&#125; ${w.zhTitle()}` : w.zhTitle();
  return [
    "",
    "---",
    `title: '${title}'`,
    "categories: ",
    " - 金融",
    ` - ${source}`,
    ` - ${source}－${r.pick(SECTIONS)}`,
    `headimg: '${cdn}/${w.slug()}.png'`,
    `author: ${source}`,
    "comments: false",
    `date: ${rfc2822(r)}`,
    `thumbnail: '${cdn}/${w.slug()}.png'`,
    "---",
    "",
  ].join("\n");
}

/** One block of a news body: a paragraph of nested `<font>` soup, an image, a comment… */
function newsBlock(r, w) {
  const kind = r.next();
  if (kind < 0.55) {
    let inner = "";
    for (let n = r.int(1, 4); n > 0; n--) {
      inner += w.zhSentence();
      if (r.chance(0.3)) {
        inner += `<font cms-style="font-L color0"><font cms-style="font-L strong-Bold color0">${w.zhSentence()}</font></font>`;
      }
      if (r.chance(0.1)) inner += ` ${w.enWord()} &#123;${w.enWord()}: ${r.int(1, 999)}&#125; `;
      if (r.chance(0.08)) inner += `<a href="https://www.news.example/${w.slug()}.html" target="_blank">${w.zhWord()}</a>`;
    }
    return `<p cms-style="font-L">　　<font cms-style="font-L">${inner}</font></p>`;
  }
  if (kind < 0.65) {
    return [
      `<div class="img_wrapper"><img id="${w.slug()}" style="margin:0 auto" src="https://n.img.example/news/${w.slug()}.jpg" alt="${w.zhTitle()}">`,
      `<span class="img_descr">${w.zhSentence()}</span></div>`,
    ].join("");
  }
  if (kind < 0.75) return `<!-- ${w.zhWord()}:${w.slug()} --><p>　　${w.zhSentence()}${w.zhSentence()}</p>`;
  if (kind < 0.85) {
    // After a blank line, 12-space indented HTML: a code block to CommonMark.
    return `\n\n            <p>${w.zhSentence()}</p>\n            <!-- ${w.zhWord()} -->`;
  }
  if (kind < 0.93) return `<p><strong>${w.zhTitle()}</strong></p>`;
  return `<p>　　${w.zhSentence()} ${w.enSentence()}</p>`;
}

function newsTail(r, w) {
  return [
    "",
    "<!-- 正文结束 -->",
    "",
    "",
    "            <!-- 推广二维码 start -->",
    "            <style>",
    `.app-kaihu-qr &#123;float:left;margin:0 10px 0 0;&#125; .app-kaihu-qr img&#123;width:${r.int(80, 120)}px;height:auto;&#125;`,
    ".app-kaihu-qr span&#123;display:block;font-size:12px;&#125;",
    "            </style>",
    `<div class="app-kaihu-qr"><div class="app-kaihu-qr-img"><img src="https://n.img.example/promo/${w.slug()}.png" alt="${w.zhWord()}"></div>`,
    `<span>${w.zhTitle()}，${w.zhWord()}APP</span></div>`,
    "",
    `<p class="show_author">责任编辑：${w.zhWord()}</p>`,
    "</div>",
  ].join("\n");
}

/** A news article of about `target` bytes (`target` may be megabytes). */
export function newsArticle(r, target) {
  const w = words(r);
  const head = newsFrontMatter(r, w);
  const tail = newsTail(r, w);
  const parts = [head, "<div>   ", `<p>　　原标题：${w.zhTitle()}</p>`, `<p>　　来源：${r.pick(SOURCES)}</p>`];
  let size = bytes(head) + bytes(tail) + 100;
  while (size < target) {
    const block = newsBlock(r, w);
    parts.push(block);
    size += bytes(block) + 1;
  }
  parts.push(tail);
  return parts.join("\n");
}

// ---------------------------------------------------------------- markdown

function blogFrontMatter(r, w, zh) {
  const title = zh ? w.zhTitle() : w.enTitle();
  const tags = Array.from({ length: r.int(1, 5) }, () => (zh ? w.zhWord() : w.enWord()));
  const lines = ["---", `title: "${title}"`, `date: ${localDate(r)}`];
  if (r.chance(0.5)) lines.push(`updated: ${localDate(r)}`);
  lines.push(`tags: [${tags.join(", ")}]`, "categories:", `  - ${zh ? "技术" : "Notes"}`, `  - ${zh ? w.zhWord() : w.enTitle()}`);
  if (r.chance(0.6)) lines.push(`cover: /images/${w.slug()}.jpg`);
  lines.push(`description: ${zh ? w.zhSentence() : w.enSentence()}`);
  if (r.chance(0.3)) lines.push("toc: true", `mathjax: ${r.chance(0.5)}`);
  lines.push("---", "");
  return lines.join("\n");
}

/**
 * Sentences with inline Markdown; with `html`, also inline raw HTML
 * (`<kbd>`, `<span style>`, `<br>`), where a plain post has the Markdown
 * an author writes instead (`code`, **bold**, a hard break).
 */
function inlineText(r, w, zh, sentences, html = true) {
  let out = "";
  for (let n = sentences; n > 0; n--) {
    let s = zh ? w.zhSentence() : w.enSentence();
    const roll = r.next();
    if (roll < 0.15) s = `**${s}**`;
    else if (roll < 0.25) s = `*${s}*`;
    else if (roll < 0.35) s += ` \`${w.enWord()}_${w.enWord()}()\``;
    else if (roll < 0.45) s += ` [${zh ? w.zhWord() : w.enWord()}](https://blog.example/${w.slug()}/)`;
    else if (roll < 0.5) {
      const key = String.fromCharCode(65 + r.int(0, 25));
      s += html ? ` <kbd>Ctrl</kbd>+<kbd>${key}</kbd>` : ` \`Ctrl\`+\`${key}\``;
    } else if (roll < 0.54) s += html ? ` <span style="color:#c00">${w.enWord()}</span>` : ` **${w.enWord()}**`;
    else if (roll < 0.57) s += ` ~~${w.enWord()}~~`;
    else if (roll < 0.59) s += html ? "<br>" : "\\\n"; // a hard break either way
    out += (out && !zh ? " " : "") + s;
  }
  return out;
}

function codeBlock(r, w) {
  const lang = r.pick(LANGS);
  const lines = [];
  for (let n = r.int(3, 25); n > 0; n--) {
    const indent = " ".repeat(4 * r.int(0, 2));
    const name = `${w.enWord()}_${w.enWord()}`;
    lines.push(
      r.pick([
        `${indent}let ${name} = ${w.enWord()}(${r.int(0, 999)}, "${w.enWord()}");`,
        `${indent}if ${name} < ${r.int(0, 99)} { return ${name} * 2; }`,
        `${indent}// ${w.enSentence()}`,
        `${indent}for (const x of ${name}) { out.push(x + "<${w.enWord()}>"); }`,
        `${indent}${name}: &'a str,`,
      ]),
    );
  }
  return "```" + lang + "\n" + lines.join("\n") + "\n```";
}

function table(r, w, zh) {
  const cols = r.int(2, 5);
  const align = Array.from({ length: cols }, () => r.pick(["---", ":---", ":---:", "---:"]));
  const row = () => "| " + Array.from({ length: cols }, () => (r.chance(0.5) ? (zh ? w.zhWord() : w.enWord()) : String(r.int(0, 99999)))).join(" | ") + " |";
  const lines = [row(), "| " + align.join(" | ") + " |"];
  for (let n = r.int(2, 14); n > 0; n--) lines.push(row());
  return lines.join("\n");
}

function list(r, w, zh, html) {
  const ordered = r.chance(0.4);
  const task = !ordered && r.chance(0.25);
  const lines = [];
  for (let i = 1, n = r.int(2, 8); i <= n; i++) {
    const mark = ordered ? `${i}.` : task ? `- [${r.chance(0.5) ? "x" : " "}]` : "-";
    lines.push(`${mark} ${inlineText(r, w, zh, 1, html)}`);
    if (r.chance(0.2)) lines.push(`${" ".repeat(mark.length + 1)}- ${inlineText(r, w, zh, 1, html)}`);
  }
  return lines.join("\n");
}

/**
 * Markdown sections until the body reaches `target` bytes; footnotes at the
 * end. With `html`, some blocks are raw HTML (a centred image, `<details>`,
 * `<sub>`); without, the same rolls give the Markdown an author writes
 * instead, and the only raw HTML left is the `<!-- more -->` comment.
 */
function blogBody(r, w, zh, target, notePrefix, html = true) {
  const text = (sentences) => inlineText(r, w, zh, sentences, html);
  const parts = [text(r.int(2, 4)), "<!-- more -->"];
  const notes = [];
  let size = bytes(parts[0]) + 20;
  while (size < target) {
    const kind = r.next();
    let block;
    if (kind < 0.1) block = `${"#".repeat(r.int(2, 4))} ${zh ? w.zhTitle() : w.enTitle()}`;
    else if (kind < 0.45) {
      block = text(r.int(1, 5));
      if (r.chance(0.2)) {
        const label = `${notePrefix}${notes.length + 1}`;
        block += `[^${label}]`;
        notes.push(`[^${label}]: ${text(1)}`);
      }
    } else if (kind < 0.55) block = list(r, w, zh, html);
    else if (kind < 0.63) block = codeBlock(r, w);
    else if (kind < 0.7) block = table(r, w, zh);
    else if (kind < 0.75) block = `> ${text(r.int(1, 3))}`;
    else if (kind < 0.8) block = `![${zh ? w.zhWord() : w.enWord()}](https://img.blog.example/${w.slug()}.png "${w.enWord()}")`;
    else if (kind < 0.84) {
      const summary = zh ? w.zhWord() : w.enTitle();
      block = html ? `<details><summary>${summary}</summary>\n\n${text(2)}\n\n</details>` : `**${summary}**\n\n${text(2)}`;
    } else if (kind < 0.87) {
      const [slug, width] = [w.slug(), r.int(100, 600)];
      block = html ? `<div align="center"><img src="/images/${slug}.png" width="${width}"></div>` : `![${slug}](/images/${slug}.png)`;
    } else if (kind < 0.9) {
      const n = r.int(2, 9);
      block = `${html ? `H<sub>2</sub>O and x<sup>${n}</sup>` : `H~2~O and x^${n}^`}: ${text(1)}`;
    } else if (kind < 0.93) block = "---";
    else block = text(r.int(3, 8));
    parts.push(block);
    size += bytes(block) + 2;
  }
  // A small post may roll no raw HTML at all: its class says it has some,
  // so it gets the construct the real posts carry most, a sized image.
  if (html && !parts.some((p) => !p.startsWith("```") && /<(?!!--)[a-z]/.test(p))) {
    parts.splice(2, 0, `<img src="/images/${w.slug()}.png" width="${r.int(100, 600)}">`);
  }
  return { body: parts.join("\n\n"), notes };
}

/** A blog post of about `target` bytes, with raw HTML in its Markdown or without. */
export function blogPost(r, target, html = true) {
  const w = words(r);
  const zh = r.chance(0.5);
  const head = blogFrontMatter(r, w, zh);
  const { body, notes } = blogBody(r, w, zh, target - bytes(head), "n", html);
  return `${head}\n${body}\n\n${notes.join("\n")}\n`;
}

/** A big Markdown article: one front matter, many chapters of both languages. */
export function bigMarkdown(r, target) {
  const w = words(r);
  const head = blogFrontMatter(r, w, true);
  const chapters = [];
  let size = bytes(head);
  for (let i = 0; size < target; i++) {
    const zh = i % 2 === 0;
    const { body, notes } = blogBody(r, w, zh, Math.min(40 * KB, target - size), `c${i}n`);
    const chapter = `# ${zh ? w.zhTitle() : w.enTitle()}\n\n${body.replace("<!-- more -->", "")}\n\n${notes.join("\n")}`;
    chapters.push(chapter);
    size += bytes(chapter) + 2;
  }
  return `${head}\n${chapters.join("\n\n")}\n`;
}

// ---------------------------------------------------------------- the corpus

/** Every document: `{ class, name, text }`, in a fixed order. */
export function generate(seed = SEED) {
  const docs = [];
  const r = prng(seed);
  for (let i = 0; i < 100; i++) {
    docs.push({ class: "news", name: `news-${pad(i)}.md`, text: newsArticle(prng(seed + 1000 + i), r.logUniform(1 * KB, 20 * KB)) });
  }
  // Every 1/RAW_HTML_SHARE-th post has raw HTML (Bresenham's spacing), so
  // both classes spread over the same sizes.
  let withHtml = 0;
  for (let i = 0; i < POSTS; i++) {
    const html = Math.floor((i + 1) * RAW_HTML_SHARE) > withHtml;
    if (html) withHtml++;
    const [cls, prefix] = html ? ["md-html", "html-post"] : ["md-plain", "post"];
    docs.push({ class: cls, name: `${prefix}-${pad(i)}.md`, text: blogPost(prng(seed + 2000 + i), r.logUniform(1 * KB, 50 * KB), html) });
  }
  const big = (cls, name, kind, size, salt) =>
    docs.push({ class: cls, name, text: kind === "md" ? bigMarkdown(prng(seed + salt), size) : newsArticle(prng(seed + salt), size) });
  big("big", "big-md-1mb.md", "md", 1 * MB, 3001);
  big("big", "big-md-5mb.md", "md", 5 * MB, 3002);
  big("big", "big-html-1mb.md", "html", 1 * MB, 3003);
  big("big", "big-html-5mb.md", "html", 5 * MB, 3004);
  big("scale", "scale-md-100kb.md", "md", 100 * KB, 4001);
  big("scale", "scale-md-10mb.md", "md", 10 * MB, 4002);
  big("scale", "scale-html-100kb.md", "html", 100 * KB, 4003);
  big("scale", "scale-html-10mb.md", "html", 10 * MB, 4004);
  return docs;
}

/** Writes the corpus under `out` unless its manifest says it is already there. */
export function writeCorpus(out, seed = SEED) {
  const manifestPath = join(out, "manifest.json");
  try {
    const old = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (old.seed === seed && old.generator === GENERATOR_VERSION && old.rawHtmlShare === RAW_HTML_SHARE) return old;
  } catch {}
  rmSync(out, { recursive: true, force: true });
  const docs = generate(seed);
  const hash = createHash("sha256");
  const files = docs.map((d) => {
    const path = join(d.class, d.name);
    mkdirSync(join(out, d.class), { recursive: true });
    writeFileSync(join(out, path), d.text);
    hash.update(d.text);
    return { class: d.class, name: d.name, path, bytes: bytes(d.text) };
  });
  const manifest = { seed, generator: GENERATOR_VERSION, rawHtmlShare: RAW_HTML_SHARE, sha256: hash.digest("hex"), files };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const here = dirname(fileURLToPath(import.meta.url));
  const out = resolve(process.argv[2] ?? join(here, "results", "corpus"));
  const started = Date.now();
  const m = writeCorpus(out);
  const byClass = {};
  for (const f of m.files) {
    const c = (byClass[f.class] ??= { files: 0, bytes: 0, min: Infinity, max: 0 });
    c.files++;
    c.bytes += f.bytes;
    c.min = Math.min(c.min, f.bytes);
    c.max = Math.max(c.max, f.bytes);
  }
  console.log(`corpus: ${out} (seed ${m.seed}, sha256 ${m.sha256.slice(0, 16)}…, ${Date.now() - started} ms)`);
  for (const [c, s] of Object.entries(byClass)) {
    console.log(`  ${c.padEnd(9)} ${String(s.files).padStart(3)} files ${(s.bytes / MB).toFixed(2).padStart(7)} MB  (${(s.min / KB).toFixed(1)}–${(s.max / KB).toFixed(1)} KB)`);
  }
}
