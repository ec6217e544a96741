// Installed by check.mjs (page.addInitScript) in every frame of the test
// pages before any of the frame's own scripts: the functions the attack
// corpus calls (grep tests/attacks for "alert(", "msgbox(" …) and a general
// `__xss`, each reporting its call to check.mjs through the page binding
// `__attackReport`, which names the frame it was called in. Only prompt
// (which no case calls) then opens its real dialog, so the self-test can
// prove the page's "dialog" event is watched; a real alert comes from a
// frame this script did not reach in time (a sandboxed frame with scripts
// runs in a process of its own). Chromium's DevTools crash when dialogs of
// two processes of one page overlap, so the sentinels do not add to them.
(() => {
  const names = ["alert", "confirm", "prompt", "print", "x", "y", "msgbox", "MsgBox", "__xss"];
  // A frame that calls them 100,000 times reports the first few; the rest
  // would only flood check.mjs.
  let calls = 0;
  const text = (value) => {
    try {
      return String(value);
    } catch {
      return "?";
    }
  };
  for (const name of names) {
    const native = name === "prompt" ? globalThis.prompt : null;
    const sentinel = (...args) => {
      calls += 1;
      if (calls > 21) return undefined;
      const detail = { name, args: calls > 20 ? "… and more calls, not reported" : args.map(text).join(", ").slice(0, 120), url: text(location.href).slice(0, 120) };
      try {
        globalThis.__attackReport(detail);
      } catch {
        // No binding in this frame yet: leave the call where the test page
        // collects it (same origin), with the frame's name for attribution.
        try {
          (top.__attackMissed ??= []).push({ ...detail, frame: text(window.name) });
        } catch {
          // Neither: the page's dialog, console and navigation events remain.
        }
      }
      return native?.apply(globalThis, args);
    };
    try {
      Object.defineProperty(globalThis, name, { value: sentinel, writable: true, configurable: true });
    } catch {
      // A frame that froze the property keeps it; its calls show otherwise.
    }
  }
})();
