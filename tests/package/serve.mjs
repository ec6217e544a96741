// A static file server for the browser checks: 127.0.0.1 only, an ephemeral
// port printed as a URL on stdout, and a bounded lifetime so a test that dies
// early leaves nothing running. Usage: node serve.mjs ROOT [SECONDS]
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";

const root = resolve(process.argv[2] ?? ".");
const lifetimeSeconds = Number(process.argv[3] ?? 300);

// `application/wasm` lets the browser compile while it downloads
// (instantiateStreaming); wasm-bindgen falls back, with a warning, without it.
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".md": "text/markdown; charset=utf-8",
  ".wasm": "application/wasm",
};

const server = createServer(async (request, response) => {
  let path;
  try {
    path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
  } catch {
    path = "";
  }
  if (path.endsWith("/")) path += "index.html";
  const file = resolve(root, `.${path}`);
  if (!file.startsWith(root + sep)) {
    response.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, {
      "content-type": types[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    response.end(request.method === "HEAD" ? undefined : body);
  } catch {
    response.writeHead(404).end();
  }
});

server.listen(0, "127.0.0.1", () => {
  console.log(`http://127.0.0.1:${server.address().port}/`);
});
setTimeout(() => {
  console.error(`serve.mjs: stopping after ${lifetimeSeconds} s`);
  process.exit(1);
}, lifetimeSeconds * 1000);
