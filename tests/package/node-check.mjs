// (a) Node 20: the package works with a plain import and no init, as README
// promises. Runs inside the temporary project, so "article-render" resolves
// to the installed tarball exactly as a user's would.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import init, { render, version } from "article-render";

const source = readFileSync(new URL("./fixture.md", import.meta.url), "utf8");
const expect = JSON.parse(readFileSync(new URL("./expect.json", import.meta.url), "utf8"));

let failures = 0;
function check(name, fn) {
  try {
    fn();
    console.log(`PASS  node: ${name}`);
  } catch (error) {
    failures += 1;
    console.log(`FAIL  node: ${name}: ${error.message.replace(/\s+/g, " ")}`);
  }
}

const rendered = render(source);

check("`article-render` resolves to the Node entry", () => {
  assert.match(import.meta.resolve("article-render"), /\/node_modules\/article-render\/node\.js$/);
});
check("meta.title is plain text with `&amp;` decoded and CJK kept", () => {
  assert.equal(rendered.meta.title, expect.title);
});
check("html has the heading with its id, and no script", () => {
  assert.ok(
    rendered.html.includes(`<h2 id="${expect.headingId}">${expect.headingText}</h2>`),
    `heading missing from ${JSON.stringify(rendered.html)}`,
  );
  assert.doesNotMatch(rendered.html, /<script|pwned/i);
  assert.ok(rendered.diagnostics.some((d) => d.code === "sanitize.removed-element"));
});
check("version() is Cargo.toml's version", () => {
  assert.equal(version(), process.env.EXPECTED_VERSION);
});
check("a misspelled option throws a TypeError naming it", () => {
  assert.throws(() => render(source, { fomat: 1 }), (e) => e instanceof TypeError && /fomat/.test(e.message));
});
check("a `__proto__` front-matter key is dropped from meta.extra, with a warning", () => {
  const extra = rendered.meta.extra;
  assert.ok(!Object.hasOwn(extra, "__proto__"));
  assert.ok(rendered.diagnostics.some((d) => d.code === "meta.dropped-key" && /__proto__/.test(d.message)));
  assert.equal(Object.getPrototypeOf(extra), Object.prototype);
  assert.equal({}.polluted, undefined, "Object.prototype was polluted");
});
check("a source that is not a string throws a TypeError saying how to decode bytes", () => {
  assert.throws(() => render(null), (e) => e instanceof TypeError && /must be a string/.test(e.message));
  assert.throws(() => render(new TextEncoder().encode(source)), (e) => e instanceof TypeError && /TextDecoder/.test(e.message));
});
check("every object in the result has an ordinary prototype", () => {
  const walk = (value, path) => {
    if (value === null || typeof value !== "object") return;
    const proto = Array.isArray(value) ? Array.prototype : Object.prototype;
    assert.equal(Object.getPrototypeOf(value), proto, `${path} has a replaced prototype`);
    for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
  };
  walk(rendered, "rendered");
});

check("Zola's heading ids are transliterated with no setup (Node's entry loads the module itself)", () => {
  const zola = render("+++\ntitle = \"Notes\"\n+++\n## Привет, мир\n\n## 第二章：安装\n", { generator: "zola" });
  assert.deepEqual(zola.toc.map((t) => t.id), ["user-content-privet-mir", "user-content-di-er-zhang-an-zhuang"]);
  assert.ok(!zola.diagnostics.some((d) => d.code === "outline.not-transliterated"), JSON.stringify(zola.diagnostics));
});

// Code written for the browser (`await init()`) must run unchanged in Node.
await init();
check("the default export init() is a harmless no-op", () => {
  assert.equal(render(source).meta.title, expect.title);
});

process.exitCode = failures ? 1 : 0;
