// The render worker (worker.js) seen from the page: one request, one reply.
// Rendering and decoding run there, so typing never waits for them.
import { WORKER_URL, trusted } from "./app.js";

// Wasm memory only grows: a worker that rendered a big document keeps that
// much for as long as it lives. So after a result of a source over a
// million characters (RECYCLE_BYTES), the page ends that worker and starts a fresh one (in the
// background, ready before the next render is due); body[data-workers]
// counts the workers started.
const RECYCLE_BYTES = 1024 * 1024;

let worker = null;

export let workerReady = null;

export let workerVersion = null;

let workersStarted = 0;

const pending = new Map();

let nextId = 1;

export function startWorker() {
  const started = new Worker(trusted.createScriptURL(WORKER_URL), { type: "module", name: "article-render" });
  worker = started;
  document.body.dataset.workers = String(++workersStarted);
  workerReady = new Promise((resolve, reject) => {
    started.addEventListener("message", ({ data }) => {
      if (data.id === 0) {
        if (data.type === "ready") {
          workerVersion = data.version;
          resolve();
        } else {
          reject(new Error(data.message));
        }
        return;
      }
      pending.get(data.id)?.(data);
      pending.delete(data.id);
    });
    started.addEventListener("error", (event) => reject(new Error(event.message || "the render worker failed to start")));
  });
  workerReady.catch(() => {}); // reported where it is awaited
  return workerReady;
}

export async function callWorker(message, transfer = []) {
  await workerReady;
  const id = nextId++;
  const reply = await new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, ...message }, transfer);
  });
  if (message.type === "render" && message.source.length > RECYCLE_BYTES && pending.size === 0) {
    worker.terminate();
    startWorker();
  }
  return reply;
}

/** The worker sends the body once, in slices; `html` joins them when asked. */
export function withHtml(reply) {
  let html = null;
  Object.defineProperty(reply.rendered, "html", {
    get: () => (html ??= reply.chunks.join("")),
    enumerable: true,
  });
  return reply.rendered;
}
