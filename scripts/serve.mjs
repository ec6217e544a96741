// The page's static server: `make serve` runs it. Plain Node, no dependencies.
// It serves www/ at / and pkg/ at /pkg/ (the page imports "../pkg/…", which
// resolves to /pkg/ from /), nothing else of the repository, on 127.0.0.1
// only, and sends .wasm as application/wasm so the browser compiles while it
// downloads. Usage: node scripts/serve.mjs [--port 8000] (0 picks a free port;
// the URL it listens on is printed on stdout).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const mounts = [
  ["/pkg/", join(root, "pkg")],
  ["/", join(root, "www")],
];

const args = process.argv.slice(2);
const portArg = args.indexOf("--port");
const port = Number(portArg >= 0 ? args[portArg + 1] : (process.env.PORT ?? 8000));

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
};

// A worker's policy comes from its own response, not from the page's <meta>;
// this gives the render worker the page's limits. Module scripts loaded by a
// document ignore a CSP header, so sending it with every script is harmless.
const workerPolicy = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'";

function locate(pathname) {
  for (const [prefix, dir] of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const file = resolve(dir, `.${pathname.slice(prefix.length - 1)}`);
    return file === dir || file.startsWith(dir + sep) ? file : null;
  }
  return null;
}

const server = createServer(async (request, response) => {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD" }).end();
    return;
  }
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname);
  } catch {
    response.writeHead(400).end();
    return;
  }
  let file = pathname.includes("\0") ? null : locate(pathname);
  try {
    if (file && (await stat(file)).isDirectory()) file = join(file, "index.html");
    const body = file && (await readFile(file));
    if (!body) throw new Error("outside the served folders");
    const type = types[extname(file)] ?? "application/octet-stream";
    const headers = {
      "content-type": type,
      "content-length": body.length,
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    };
    if (type.startsWith("text/javascript")) headers["content-security-policy"] = workerPolicy;
    response.writeHead(200, headers);
    response.end(request.method === "HEAD" ? undefined : body);
  } catch {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
  }
});

server.listen(port, "127.0.0.1", () => {
  console.log(`Serving www/ and pkg/ on http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
