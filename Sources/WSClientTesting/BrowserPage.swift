/// The page `test-client` serves at `/browser`: it makes the browser that opens it an Autobahn test
/// client of the listener it came from (the case count, each case in turn echoing every message with
/// its type until the server closes, then `/updateReports`), showing its progress. Self-contained: no
/// network resource but the listener. Query: `agent` (the name results are filed under), `from`
/// (the first case number, 1-based: `test-browser` resumes there after the browser died), `ws`
/// (another fuzzing server to walk instead, e.g. Autobahn's `ws://127.0.0.1:9001`, to compare).
public enum BrowserPage {
    public static let path = "/browser"

    public static let html = #"""
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <title>wsconform: browser under test</title>
    <style>
    body { font: 15px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
    progress { width: 100%; height: 1.2em; }
    #log { font: 12px ui-monospace, monospace; white-space: pre-wrap; max-height: 60vh; overflow: auto; }
    </style>
    </head>
    <body>
    <h1>wsconform: this browser is the client under test</h1>
    <p id="status">Starting…</p>
    <progress id="bar" value="0" max="1"></progress>
    <div id="log"></div>
    <script>
    "use strict";
    const params = new URLSearchParams(location.search);
    const agent = params.get("agent") || navigator.userAgent;
    const from = Math.max(1, parseInt(params.get("from") || "1", 10) || 1);
    const base = (params.get("ws") || (location.protocol === "https:" ? "wss://" : "ws://") + location.host).replace(/\/+$/, "");
    const statusLine = document.getElementById("status");
    const bar = document.getElementById("bar");
    const log = document.getElementById("log");
    function note(text) { log.textContent += text + "\n"; }

    // Opens `path`; resolves with the first text message (or null) once the server closes.
    function fetchText(path) {
      return new Promise((resolve) => {
        let first = null;
        const ws = new WebSocket(base + path);
        ws.onmessage = (e) => { if (first === null) first = e.data; };
        ws.onerror = () => {};
        ws.onclose = () => resolve(first);
      });
    }

    // One case: echo each message as it came (text as text, binary as binary) until the close. The
    // verdict is judged on the wire by the server; the page only reports what the API showed it.
    function runCase(n) {
      return new Promise((resolve) => {
        let ws;
        try {
          ws = new WebSocket(`${base}/runCase?case=${n}&agent=${encodeURIComponent(agent)}`);
        } catch (e) {
          resolve(`the WebSocket constructor threw ${e.name}`);
          return;
        }
        ws.binaryType = "arraybuffer";
        ws.onmessage = (e) => { try { ws.send(e.data); } catch (err) { /* judged on the wire */ } };
        ws.onerror = () => {};
        ws.onclose = (e) => resolve(`close ${e.code}${e.reason ? " " + JSON.stringify(e.reason) : ""}${e.wasClean ? "" : " (not clean)"}`);
      });
    }

    async function main() {
      const count = parseInt(await fetchText("/getCaseCount"), 10);
      if (!(count > 0)) { statusLine.textContent = "The server has no case to run."; return; }
      bar.max = count;
      for (let n = from; n <= count; n++) {
        statusLine.textContent = `Case ${n} of ${count}`;
        note(`${n}: ${await runCase(n)}`);
        bar.value = n;
      }
      await fetchText(`/updateReports?agent=${encodeURIComponent(agent)}`);
      statusLine.textContent = `Done: cases ${from}-${count} run as ${agent}.`;
      document.title = "wsconform: done";
    }
    main();
    </script>
    </body>
    </html>
    """#
}
