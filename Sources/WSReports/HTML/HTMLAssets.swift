/// The report's inline style sheet and script (no network: the page is one self-contained file).
/// The script reads only what the page carries: the JSON index, and the compressed case details
/// (`HTMLCaseBundle`), whose already-escaped markup it parses one case at a time as cases are
/// opened. Otherwise it touches the DOM through `hidden`, `open` and `textContent`.
enum HTMLAssets {
    static let css = """
    :root{--ok:#0a0;--nonstrict:#9a0;--fail:#900;--info:#4095BF;--unimpl:#800080;--missing:#a05a2c;--byclient:#6d6}
    body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 24px 48px;color:#222}
    h1{font-size:22px;margin:16px 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
    h4{margin:12px 0 4px;font-size:15px}h5{margin:10px 0 4px;font-size:13px;color:#555}
    .muted{color:#777}.bad{color:var(--fail);font-weight:600}small{font-size:11px}
    code,pre,.hex,.txt{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
    pre{background:#f6f6f6;padding:8px;white-space:pre-wrap;word-break:break-all;margin:0}
    table{border-collapse:collapse}
    .runs{font-size:12px}.runs td,.runs th{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
    .runs .chip{white-space:nowrap}.runs td.notes{min-width:150px;max-width:260px;overflow-wrap:anywhere}
    .runs td.run{max-width:360px;overflow-wrap:anywhere}details.more>summary{cursor:pointer;margin:8px 0;font-weight:600}
    .legend span{display:inline-block;padding:2px 8px;margin-right:4px;color:#fff;border-radius:3px}
    .filters{position:sticky;top:0;background:#fff;padding:8px 0;z-index:2;border-bottom:1px solid #eee}
    .filters>*{margin-right:12px}
    .msec{content-visibility:auto;contain-intrinsic-size:auto 600px}
    .matrix{font-size:12px;table-layout:fixed;width:max-content}.matrix td,.matrix th{border:1px solid #fff;padding:2px 6px}
    .matrix col.cid{width:520px}.matrix col.v{width:104px}.matrix col.c{width:60px}
    .matrix tr.sec th{background:#000;color:#fff;text-align:left;padding:4px 6px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
    .matrix tr.sub td{background:#ddd;font-weight:600}
    .matrix td.cid div{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    .matrix td.cid a{color:#222;font-weight:600}.ct{color:#555}
    .matrix td.v{color:#fff;text-align:center}.matrix td.v a{color:#fff;text-decoration:none}
    .matrix td.v small{display:block;font-size:10px}
    .matrix td.c{color:#fff;text-align:center}
    body.noclose .matrix td.c{display:none}body.noclose .matrix col.c{visibility:collapse}
    .ok{background:var(--ok)}.nonstrict{background:var(--nonstrict)}.fail{background:var(--fail)}.info{background:var(--info)}
    .unimpl{background:var(--unimpl)}.missing{background:var(--missing)}.byclient{background:var(--byclient)}
    rect.ok{fill:var(--ok)}rect.nonstrict{fill:var(--nonstrict)}rect.fail{fill:var(--fail)}rect.info{fill:var(--info)}rect.unimpl{fill:var(--unimpl)}
    .chip{display:inline-block;color:#fff;border-radius:3px;padding:0 6px;font-size:11px;margin-left:2px}
    .flag{color:var(--fail);font-size:11px;font-weight:600}
    details.case{border:1px solid #ddd;border-radius:4px;margin:4px 0}
    details.case>summary{padding:4px 8px;cursor:pointer;background:#fafafa}
    details.case[open]>summary{border-bottom:1px solid #ddd}
    details.case .body{padding:4px 12px 12px}
    .perma{color:#999;text-decoration:none}
    section.run{border-top:1px dashed #ccc;margin-top:8px}
    dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:4px 0}dl.kv dt{font-weight:600;color:#555}dl.kv dd{margin:0}
    dl.kv ul{margin:0;padding-left:18px}
    table.kv th{text-align:left;padding:2px 12px 2px 0;color:#555;vertical-align:top}table.kv td{padding:2px 0}
    .grid2{display:grid;grid-template-columns:1fr 1fr;gap:12px}.grid2>div{min-width:0}code{overflow-wrap:anywhere}
    ol.events{margin:0;padding-left:22px}.etype{font-weight:600}
    table.stats{margin:8px 0;font-size:12px}table.stats td,table.stats th{border:1px solid #ddd;padding:2px 8px}
    p.brief{font-size:12px;color:#444;margin:4px 0}
    pre.wirelog{font-size:11px;white-space:pre;overflow-x:auto;word-break:normal}
    .chart{margin:8px 0}.chart figcaption{font-weight:600;margin-bottom:4px}
    .chart text{font-size:10px;fill:#333}.chart text.rl{text-anchor:end}.chart text.tl{text-anchor:middle;fill:#777}.chart text.vl{font-size:9px;fill:#555}
    .chart line.tick{stroke:#e4e4e4}.chartbox>summary{cursor:pointer;font-weight:600;margin:8px 0}
    .vbar{vertical-align:middle}rect.closefail{fill:#d9661f}
    .status p{margin:6px 0;font-size:15px}.badge{display:inline-block;color:#fff;font-weight:700;border-radius:3px;padding:1px 8px;margin-right:6px}
    table.failed{font-size:13px;width:100%;max-width:1200px}table.failed th{text-align:left;border-bottom:2px solid #ddd;padding:4px 8px}
    table.failed td{border-bottom:1px solid #eee;padding:4px 8px;vertical-align:top}table.failed td.fid{white-space:nowrap;font-weight:600}
    table.failed td.fv{white-space:nowrap}.why{font-weight:500}.ft{font-size:11px}
    p.finding{color:var(--fail);font-weight:600;margin:4px 0}
    .legend2{margin:2px 0 4px;font-size:11px}.legend2 span{margin-right:14px;white-space:nowrap}
    """

    static let js = """
    (function () {
      'use strict';
      var data = JSON.parse(document.getElementById('wsconform-index').textContent);
      var failedOnly = document.getElementById('f-failed');
      var section = document.getElementById('f-section');
      var text = document.getElementById('f-text');
      var count = document.getElementById('f-count');
      function visible(id) {
        var e = data.cases[id];
        if (!e) { return true; }
        if (failedOnly.checked && !e.f) { return false; }
        if (section.value && e.s !== section.value) { return false; }
        var q = text.value.trim().toLowerCase();
        return !q || e.t.indexOf(q) >= 0;
      }
      // The case details: [id, markup] pairs, gzip and base64 in an inert element (HTMLCaseBundle),
      // inflated once, when the first case is opened; a case's markup is parsed when it is opened.
      var bundle = null;
      function cases() {
        if (!bundle) {
          var b64 = document.getElementById('wsconform-cases').textContent;
          var bytes = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
          var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
          bundle = new Response(stream).json().then(function (pairs) {
            var byID = {};
            pairs.forEach(function (p, i) { byID[p[0]] = { i: i, markup: p[1] }; });
            return byID;
          });
        }
        return bundle;
      }
      function detail(byID, id) {
        var el = document.getElementById('case-' + id), c = byID[id];
        if (el || !c) { return el; }
        var t = document.createElement('template');
        t.innerHTML = c.markup;
        el = t.content.firstElementChild;
        el.dataset.i = c.i;
        var box = document.getElementById('case-details'), next = box.firstElementChild;
        while (next && Number(next.dataset.i) < c.i) { next = next.nextElementSibling; }
        box.insertBefore(el, next);
        return el;
      }
      function show(ids, scroll) {
        return cases().then(function (byID) {
          ids.forEach(function (id) {
            var el = detail(byID, id);
            if (el) { el.hidden = false; el.open = true; }
            if (el && scroll) { el.scrollIntoView(); }
          });
        });
      }
      function apply() {
        var shown = 0;
        document.querySelectorAll('#matrix tr.case').forEach(function (tr) {
          var v = visible(tr.dataset.case);
          tr.hidden = !v;
          if (v) { shown += 1; }
        });
        document.querySelectorAll('#matrix tr.sub').forEach(function (tr) {
          var n = tr.nextElementSibling, any = false;
          while (n && n.classList.contains('case')) {
            if (!n.hidden) { any = true; break; }
            n = n.nextElementSibling;
          }
          tr.hidden = !any;
        });
        document.querySelectorAll('#matrix .msec').forEach(function (box) {
          box.hidden = !box.querySelector('tr.case:not([hidden])');
        });
        document.querySelectorAll('details.case').forEach(function (d) {
          d.hidden = !visible(d.dataset.case);
        });
        count.textContent = shown + ' of ' + data.total + ' cases shown';
      }
      function openHash() {
        var id = decodeURIComponent(location.hash.slice(1));
        if (id.indexOf('case-') === 0) { show([id.slice(5)], true); }
      }
      // A link to a case: make its block, then go there (the link alone would find nothing yet).
      document.addEventListener('click', function (ev) {
        var a = ev.target.closest ? ev.target.closest('a') : null;
        var href = a ? a.getAttribute('href') || '' : '';
        if (href.indexOf('#case-') !== 0) { return; }
        ev.preventDefault();
        history.pushState(null, '', href);
        show([decodeURIComponent(href.slice(6))], true);
      });
      [failedOnly, section].forEach(function (el) { el.addEventListener('change', apply); });
      text.addEventListener('input', apply);
      document.getElementById('toggle-close').addEventListener('click', function () {
        document.body.classList.toggle('noclose');
      });
      document.getElementById('open-failed').addEventListener('click', function () {
        show(Object.keys(data.cases).filter(function (id) { return data.cases[id].f && visible(id); }), false);
      });
      document.getElementById('close-all').addEventListener('click', function () {
        document.querySelectorAll('details.case').forEach(function (d) { d.open = false; });
      });
      window.addEventListener('hashchange', openHash);
      // Filters the browser restored (back, reload) apply at once; the defaults show everything.
      if (failedOnly.checked || section.value || text.value) { apply(); } else {
        count.textContent = data.total + ' of ' + data.total + ' cases shown';
      }
      openHash();
    })();
    """
}
