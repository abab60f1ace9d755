"""The one page of the local web app: drop resumes, watch the rows fill in, open reports.

``render_page()`` is a whole self-contained document (inline CSS and one inline script,
no fonts, no CDN: it works offline), served at ``/`` and ``/model``; ``page_csp()`` is
the Content-Security-Policy it is served with. The script is allowed only by its sha256,
talks only to this server (``connect-src 'self'``) and builds every element from data
with ``textContent``: a file name or a resume's words are never parsed as HTML. A
report opens in a sandboxed ``srcdoc`` frame (no script, an opaque origin), so it can be
fetched with the token header when the server needs one.
"""

from __future__ import annotations

import base64
import hashlib

from classifier.config import (
    HISTOGRAM_BINS,
    HTML_ENGINEER_COLOUR,
    HTML_SCIENTIST_COLOUR,
    LEGACY_FORMATS,
    READ_SUFFIXES,
    SERVE_MAX_BATCH_FILES,
    SERVE_MAX_BATCH_MB,
)
from classifier.render.htmlkit import CSS, NOTE, UNDETERMINED_COLOUR, esc, shade

#: The page's own styles, after the reports' (htmlkit.CSS): one look for both.
PAGE_CSS = """
[hidden]{display:none!important}
.vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap;margin:-1px;padding:0;border:0}
.skip{position:absolute;left:8px;top:-60px;background:#fff;padding:6px 10px;z-index:9}
.skip:focus{top:8px}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,
textarea:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--ink);
outline-offset:2px}
.head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;
gap:2px 24px;padding:12px 22px}
.head h1{margin:0}
.head p{margin:2px 0}
.head .main{flex:1 1 24em}
.head .side{flex:0 0 auto;display:flex;flex-direction:column;align-items:flex-end}
.head nav{justify-content:flex-end}
nav{display:flex;gap:6px 18px;flex-wrap:wrap}
nav a{font-weight:600;text-decoration:none;padding:2px 0;border-bottom:3px solid transparent}
nav a[aria-current=page]{color:var(--ink);border-bottom-color:var(--eng)}
.inputs{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 20px}
@media (max-width:900px){.inputs{grid-template-columns:minmax(0,1fr)}}
.drop{border:2px dashed #8995a1;border-radius:10px;padding:8px 16px 12px;text-align:center;
background:#fafbfc}
.drop.over{border-color:var(--eng);background:#e6f1f8}
.drop .drop-title{font-size:16px;margin:4px 0 2px}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:10px 0 0;align-items:center}
.drop .actions{justify-content:center}
.btn{font:inherit;font-size:14px;padding:6px 14px;border:1px solid #6b7682;border-radius:6px;
background:#fff;color:var(--ink);cursor:pointer;line-height:1.4}
.btn:hover{background:#eef1f4}
.btn.primary{background:var(--eng-ink);border-color:var(--eng-ink);color:#fff}
.btn.primary:hover{background:#004a73}
.btn:disabled{opacity:.5;cursor:not-allowed}
details.opts{margin-top:10px;font-size:14px}
details.opts summary{cursor:pointer;color:var(--muted)}
details.opts .row{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;margin-top:6px}
select,input[type=password],input[type=search],textarea{font:inherit;font-size:14px;
padding:4px 8px;border:1px solid #8995a1;border-radius:6px;background:#fff;color:var(--ink)}
textarea{width:100%;resize:vertical;min-height:6em;display:block;margin-top:4px}
label{font-size:14px}
h2 label{font-size:inherit}
.jobs{list-style:none;padding:0;margin:10px 0 0}
.jobs li{font-size:13px;margin:6px 0}
.jobs progress{display:block;width:100%;height:8px;margin-top:2px}
.error{color:#8f1d21}
.error::before{content:"\\26A0\\FE0E  "}
.empty{color:var(--muted);padding:14px 4px;margin:0}
.results-head{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,420px);gap:8px 24px;
align-items:start}
@media (max-width:900px){.results-head{grid-template-columns:minmax(0,1fr)}}
.counts{font-size:14px}
.filters .end{margin-left:auto}
.filters p{margin:0}
table.results td{font-size:13px}
table.results th{overflow-wrap:normal}
table.results td.file{min-width:15em}
table.results th:last-child{width:15%}
table.results td.pulls{min-width:13em}table.results td.note{min-width:9em}
@media (max-width:700px){.head .side{align-items:flex-start}}
tbody th{text-transform:none;letter-spacing:0;font-size:inherit;color:inherit;font-weight:600}
#filter-text{width:16em}
button.link{all:unset;cursor:pointer;color:var(--eng-ink);text-decoration:underline;
font-weight:600;overflow-wrap:anywhere}
button.link:focus-visible{outline:3px solid var(--ink);outline-offset:2px}
.v{display:inline-block;padding:0 8px;border:2px solid;border-radius:10px;font-weight:600;
white-space:nowrap}
.v.engineer{border-color:var(--eng);color:var(--eng-ink)}
.v.scientist{border-color:var(--sci);color:var(--sci-ink)}
.v.undetermined{border-color:UND_COLOUR;color:#4d4d4d}
.v.failed{border-style:dashed;border-color:#4d4d4d;color:var(--ink)}
.v.skipped{border-style:dotted;border-color:#4d4d4d;color:var(--muted)}
.tl{display:block;padding-left:6px;border-left:3px solid var(--line);margin:1px 0}
.tl.e{border-left-color:var(--eng)}.tl.s{border-left-color:var(--sci)}
.tl .m{color:var(--muted)}.tl .w{color:var(--muted);font-variant-numeric:tabular-nums}
td.note span{display:block}
dialog{border:1px solid var(--line);border-radius:10px;padding:18px 22px;color:var(--ink);
max-width:min(34em,94vw)}
dialog::backdrop{background:rgba(29,35,42,.55)}
dialog.report{width:min(1240px,96vw);max-width:96vw;height:92vh;padding:0;background:var(--bg)}
dialog.report[open]{display:flex;flex-direction:column}
.dlg-head{display:flex;flex-wrap:wrap;gap:8px 18px;align-items:center;padding:10px 16px;
background:#fff;border-bottom:1px solid var(--line)}
.dlg-head h2{margin:0;flex:1 1 14em;overflow-wrap:anywhere}
fieldset.toward{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:2px 12px;
align-items:center;font-size:14px}
fieldset.toward legend{float:left;margin-right:6px;color:var(--muted);padding:0}
#report-status{margin:6px 16px}
#report-frame{flex:1;border:0;width:100%;background:var(--bg)}
#report-summary{flex:1;overflow:auto;padding:16px}
.model-grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 20px}
@media (max-width:900px){.model-grid{grid-template-columns:minmax(0,1fr)}}
pre.json{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:#fafbfc;
border:1px solid var(--line);border-radius:6px;padding:10px;max-height:30em;overflow:auto}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;
overflow-wrap:anywhere}
"""

SCRIPT = r"""
(function () {
  "use strict";
  var root = document.documentElement;
  var cfg = document.body.dataset;
  var READ = cfg.read.split(",");
  var MAX_FILES = Number(cfg.maxFiles);
  var MAX_BYTES = Number(cfg.maxMb) * 1024 * 1024 - 4 * 1024 * 1024;
  var BINS = Number(cfg.bins);
  var COLOURS = {engineer: cfg.eng, scientist: cfg.sci, undetermined: cfg.und};
  var ROLE = {engineer: "ML Engineer", scientist: "ML Scientist"};
  var RANK = {engineer: 0, scientist: 1, undetermined: 2, failed: 3, skipped: 4};
  var MINUS = "\u2212";
  var TOKEN_KEY = "resume-role-token";
  var $ = function (id) { return document.getElementById(id); };

  // -- building elements: text only, never markup ---------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) { return; }
      if (k === "text") { node.textContent = String(v); }
      else if (k === "cls") { node.className = v; }
      else { node.setAttribute(k, v === true ? "" : String(v)); }
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) { node.append(c); }
    });
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }
  function prob(p) {
    var d = 3, tail = Math.min(p, 1 - p), shown = p.toFixed(3);
    if (tail > 0 && (shown === "0.000" || shown === "1.000")) {
      d = Math.min(Math.max(-Math.floor(Math.log10(tail)) + 1, 3), 15);
    }
    return p.toFixed(d);
  }
  function signed(w, digits) {
    var t = Math.abs(w).toFixed(digits === undefined ? 3 : digits);
    return (w < 0 ? MINUS : "+") + t;
  }
  function bytes(n) {
    if (n < 1024) { return n + " B"; }
    if (n < 1024 * 1024) { return (n / 1024).toFixed(0) + " KB"; }
    return (n / 1024 / 1024).toFixed(1) + " MB";
  }
  function toks(s) { return (String(s).toLowerCase().match(/[a-z0-9+#]+/g) || []).join(" "); }
  // The words the resume used, when any differs from the term's own name (as the CLI).
  function forms(term, matched) {
    var own = toks(term);
    var other = (matched || []).some(function (m) {
      var t = toks(m);
      return t !== own && t !== own + "s" && t + "s" !== own;
    });
    return other ? matched : [];
  }
  // At most three of them, each spelling once (the report lists them all).
  function brief(words) {
    var seen = {}, out = [];
    words.forEach(function (w) {
      if (!seen[w.toLowerCase()]) { seen[w.toLowerCase()] = true; out.push(w); }
    });
    return out.slice(0, 3).join(", ") + (out.length > 3 ? " +" + (out.length - 3) : "");
  }

  // -- the token: asked once when the API answers 401, kept for this tab -----------
  var memoryToken = "";
  function getToken() {
    try { return window.sessionStorage.getItem(TOKEN_KEY) || memoryToken; }
    catch (e) { return memoryToken; }
  }
  function setToken(t) {
    memoryToken = t;
    try { window.sessionStorage.setItem(TOKEN_KEY, t); } catch (e) { /* memory only */ }
  }
  var asking = null, tokenDone = null, asks = 0;
  function askToken(refused) {
    if (asking) { return asking; }
    asks += 1;
    root.setAttribute("data-token-asks", String(asks));
    $("token-error").hidden = !refused;
    $("token-empty").hidden = true;
    $("token-input").value = "";
    asking = new Promise(function (resolve) { tokenDone = resolve; });
    $("token-dlg").showModal();
    $("token-input").focus();
    return asking;
  }
  function endAsk(ok) {
    var done = tokenDone;
    tokenDone = null;
    asking = null;
    if ($("token-dlg").open) { $("token-dlg").close(); }
    if (done) { done(ok); }
  }
  function submitToken() {
    var t = $("token-input").value.trim();
    if (!t) { $("token-empty").hidden = false; return; }
    setToken(t);
    endAsk(true);
  }
  $("token-form").addEventListener("submit", function (e) {
    e.preventDefault();  // nothing is submitted anywhere: the token stays in this tab
    submitToken();
  });
  $("token-cancel").addEventListener("click", function () { endAsk(false); });
  $("token-dlg").addEventListener("close", function () { if (tokenDone) { endAsk(false); } });

  // -- talking to the API ----------------------------------------------------------
  function send(method, url, opts) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      var token = getToken();
      if (token) { xhr.setRequestHeader("Authorization", "Bearer " + token); }
      Object.keys(opts.headers || {}).forEach(function (k) {
        xhr.setRequestHeader(k, opts.headers[k]);
      });
      if (opts.onUpload) {
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) { opts.onUpload(e.loaded, e.total); }
        });
      }
      xhr.addEventListener("load", function () {
        resolve({status: xhr.status, text: xhr.responseText, token: token,
                 retryAfter: Number(xhr.getResponseHeader("Retry-After")) || 1});
      });
      xhr.addEventListener("error", function () { resolve({status: 0, text: "", token: token}); });
      xhr.addEventListener("abort", function () { resolve({status: 0, text: "", token: token}); });
      xhr.send(opts.body === undefined ? null : opts.body);
    });
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  // A request; on 401 the token is asked for (once for all requests waiting) and the
  // request sent again; on 503 (busy) it is sent again after Retry-After, a few times.
  async function api(method, url, opts) {
    opts = opts || {};
    var busy = 0;
    for (;;) {
      var res = await send(method, url, opts);
      if (res.status === 401) {
        if (getToken() !== res.token) { continue; }  // another request got a new token
        if (await askToken(Boolean(res.token))) { continue; }
        return res;
      }
      if (res.status === 503 && opts.retryBusy && busy < 4) {
        busy += 1;
        await sleep(1000 * res.retryAfter);
        continue;
      }
      return res;
    }
  }
  function json(res) {
    try { return JSON.parse(res.text); } catch (e) { return null; }
  }
  // What went wrong, in words.
  function problem(res) {
    var body = json(res), said = body && body.error ? String(body.error) : "";
    switch (res.status) {
      case 0: return "Could not reach the server: is resume-role serve still running?";
      case 401: return "This server needs a token (ask whoever started it); nothing was sent.";
      case 403: return "The server refused the request: " + (said || "cross-site request") +
        ". Open this page from the server's own address.";
      case 404: return "Not found on the server: " + (said || "it may have expired") + ".";
      case 413: return "Too large: " + (said || "the upload is over the server's size limit") +
        ".";
      case 422: return "Could not be read: " + said;
      case 503: return "The server is busy reading other files; try again in a moment.";
      default: return "The server answered " + res.status + (said ? ": " + said : ".");
    }
  }

  // -- routing: / (resumes) or /model -----------------------------------------------
  var onModel = window.location.pathname.replace(/\/+$/, "") === "/model";
  $("view-classify").hidden = onModel;
  $("view-model").hidden = !onModel;
  $(onModel ? "nav-model" : "nav-classify").setAttribute("aria-current", "page");
  if (onModel) { document.title = "Model \u00b7 resume-role"; }

  // -- the model in use -------------------------------------------------------------
  function fixed(v, d) { return typeof v === "number" ? v.toFixed(d === undefined ? 3 : d) : ""; }
  function dl(pairs) {
    var list = el("dl", {cls: "details"});
    pairs.forEach(function (p) {
      if (p[1] === undefined || p[1] === null || p[1] === "") { return; }
      list.append(el("dt", {text: p[0]}), el("dd", {cls: p[2] || null, text: String(p[1])}));
    });
    return list;
  }
  // A table of text cells: the first column heads its row, columns from `num` on are numbers.
  function table(heads, rows, num) {
    var head = el("tr", {}, heads.map(function (h, i) {
      return el("th", {scope: "col", cls: i >= num ? "num" : null, text: h});
    }));
    var body = rows.map(function (r) {
      return el("tr", {}, r.map(function (c, i) {
        return el(i ? "td" : "th", {scope: i ? null : "row", cls: i >= num ? "num" : null,
                                    text: c});
      }));
    });
    return el("div", {cls: "scroll"}, [el("table", {}, [el("thead", {}, [head]),
                                                       el("tbody", {}, body)])]);
  }
  function renderModel(m) {
    var card = m.card || {}, box = $("model-body");
    var cv = card.cross_validation || null, classes = card.class_counts || {};
    var parts = [el("h3", {text: "In use"}), dl([
      ["Scoring file sha256", m.sha256, "mono"],
      ["Features", m.features + " vocabulary terms"],
      ["Created", card.created],
      ["Examples", card.examples === undefined ? null : card.examples + " (" +
        Object.keys(classes).map(function (k) { return classes[k] + " " + k; }).join(", ") +
        ")"],
      ["Base corpus", card.base_corpus === undefined ? null : card.base_corpus ? "yes" : "no"],
      ["Your examples", card.new_examples],
      ["Calibration", card.calibration && card.calibration.method]
    ])];
    if (Object.keys(card).length === 0) {
      parts.push(el("p", {cls: "muted", text: "This model has no card (model.json)."}));
    }
    var left = el("div", {}, parts), right = el("div");
    if (cv) {
      var f1 = cv.f1 || {};
      right.append(el("h3", {text: "Cross-validation"}), dl([
        ["Folds", cv.folds === undefined ? null : cv.folds + " over " + cv.n + " examples" +
          (cv.grouped_by ? ", grouped by " + cv.grouped_by : "")],
        ["Accuracy", fixed(cv.accuracy)], ["ROC AUC", fixed(cv.roc_auc)],
        ["Brier score", fixed(cv.brier)],
        ["F1", Object.keys(f1).map(function (k) { return k + " " + fixed(f1[k]); }).join(", ")]
      ]));
    }
    var evals = card.evaluations || {};
    var keys = ["n", "accuracy", "roc_auc", "brier", "undetermined_rate", "out_of_domain_n",
                "out_of_domain_flagged"];
    var names = {n: "n", accuracy: "accuracy", roc_auc: "ROC AUC", brier: "Brier",
                 undetermined_rate: "undetermined", out_of_domain_n: "out-of-domain n",
                 out_of_domain_flagged: "flagged"};
    var used = keys.filter(function (k) {
      return Object.keys(evals).some(function (e) { return evals[e][k] !== undefined; });
    });
    var section = [el("div", {cls: "model-grid"}, [left, right])];
    if (used.length) {
      section.push(el("h3", {text: "Evaluations"}), table(
        ["data set"].concat(used.map(function (k) { return names[k]; })),
        Object.keys(evals).map(function (e) {
          return [e].concat(used.map(function (k) {
            var v = evals[e][k];
            return v === undefined ? "" : /(^|_)n$/.test(k) ? String(v) : fixed(v);
          }));
        }), 1));
    }
    if (card.limits && card.limits.length) {
      section.push(el("h3", {text: "Limits"}), el("ul", {}, card.limits.map(function (t) {
        return el("li", {text: t});
      })));
    }
    if (card.versions) {
      section.push(el("h3", {text: "Trained with"}), dl(Object.keys(card.versions).map(
        function (k) { return [k, card.versions[k]]; })));
    }
    section.push(el("details", {}, [el("summary", {text: "The whole card (JSON)"}),
      el("pre", {cls: "json", text: JSON.stringify(card, null, 2)})]));
    box.replaceChildren.apply(box, section);
  }
  async function loadModel() {
    var res = await api("GET", "/api/v1/model");
    var line = $("model-line");
    if (res.status !== 200) {
      line.textContent = "Model: " + problem(res);
      if (onModel) { $("model-body").replaceChildren(el("p", {cls: "error",
                                                               text: problem(res)})); }
      return;
    }
    var m = json(res);
    line.textContent = "Model " + m.sha256.slice(0, 12) + " \u00b7 " + m.features + " terms" +
      (m.card && m.card.created ? " \u00b7 made " + String(m.card.created).slice(0, 10) : "");
    root.setAttribute("data-model", m.sha256);
    if (onModel) { renderModel(m); }
  }
  loadModel();
  if (onModel) { root.setAttribute("data-ready", "1"); return; }

  // -- the results ------------------------------------------------------------------
  var rows = [], batches = [], seq = 0;
  var sort = {col: -1, dir: 1};
  var tbody = $("rows").tBodies[0];
  function verdictOf(d) {
    if (d.status === "ok") { return d.label; }
    return d.status === "error" ? "failed" : d.status;
  }
  function side(d, sign) {
    return (d.contributions || []).filter(function (c) { return c.weight * sign > 0; });
  }
  function termLines(list, cls) {
    return list.slice(0, 3).map(function (c) {
      var f = brief(forms(c.term, c.matched));
      return el("span", {cls: "tl " + cls}, [c.term, f ? " " : null,
        f ? el("span", {cls: "m", text: "(" + f + ")"}) : null, " ",
        el("span", {cls: "w", text: signed(c.weight)})]);
    });
  }
  function pull(list) {
    return list.reduce(function (s, c) { return s + Math.abs(c.weight); }, 0);
  }
  function notes(e) {
    var d = e.data, out = [];
    if (d.status !== "ok") { out.push(["error", d.error || d.status]); }
    else { out.push(["", e.pasted ? "ok (pasted text: not in the downloads)" : "ok"]); }
    if (d.duplicate_of) { out.push(["", "same as " + d.duplicate_of]); }
    (d.warnings || []).forEach(function (w) { out.push(["", "warning: " + w]); });
    return out;
  }
  var LEANS = {engineer: true, scientist: true};
  var COLS = [
    {name: "File", key: function (e) { return e.data.source.toLowerCase(); }},
    {name: "Verdict", key: function (e) { return RANK[e.verdict] === undefined ? 9 :
                                                   RANK[e.verdict]; }},
    {name: "P(scientist)", num: true, key: function (e) {
      return LEANS[e.verdict] ? e.data.scientist_probability : null; }},
    {name: "ML terms", num: true, key: function (e) { return e.data.ml_terms; }},
    {name: "Role terms", num: true, key: function (e) { return e.data.evidence_terms; }},
    {name: "Toward engineer", num: true, key: function (e) {
      return e.data.status === "ok" ? pull(side(e.data, -1)) : null; }},
    {name: "Toward scientist", num: true, key: function (e) {
      return e.data.status === "ok" ? pull(side(e.data, 1)) : null; }},
    {name: "Status", key: function (e) { return e.note.toLowerCase(); }}
  ];
  function buildRow(e) {
    var d = e.data, v = e.verdict, scored = d.status === "ok";
    var name = e.report || e.pasted ?
      el("button", {type: "button", cls: "link", title: "Open the report", text: d.source}) :
      el("span", {text: d.source});
    if (name.tagName === "BUTTON") {
      name.addEventListener("click", function () { openReport(e); });
    }
    var p = !scored ? "" : LEANS[v] ? prob(d.scientist_probability) :
      el("span", {cls: "muted", text: "no lean"});
    var note = notes(e);
    e.note = note.map(function (n) { return n[1]; }).join("; ");
    var status = el("td", {cls: "note"}, note.map(function (n) {
      return el("span", {cls: n[0] || null, text: n[1]});
    }));
    if (!scored) {
      // no score: the one-line error (or why it was skipped) reads across the empty cells
      status.setAttribute("colspan", "6");
      return row(e, [el("td", {cls: "file"}, [name]),
                     el("td", {}, [el("span", {cls: "v " + v, text: v})]), status]);
    }
    var cells = [
      el("td", {cls: "file"}, [name]),
      el("td", {}, [el("span", {cls: "v " + v, text: v})]),
      el("td", {cls: "num"}, [p]),
      el("td", {cls: "num", text: scored ? d.ml_terms : ""}),
      el("td", {cls: "num", text: scored ? d.evidence_terms : ""}),
      el("td", {cls: "pulls"}, termLines(side(d, -1), "e")),
      el("td", {cls: "pulls"}, termLines(side(d, 1), "s")),
      status
    ];
    return row(e, cells);
  }
  function row(e, cells) {
    var tr = el("tr", {"data-verdict": e.verdict}, cells);
    e.search = tr.textContent.toLowerCase();
    return tr;
  }
  function addRow(data, batch, pasted) {
    var e = {n: seq++, data: data, verdict: verdictOf(data), batch: batch || null,
             report: data.report || null, pasted: pasted || null, cache: {}};
    e.tr = buildRow(e);
    rows.push(e);
    return e;
  }
  function compare(a, b) {
    var c = COLS[sort.col], x = c.key(a), y = c.key(b);
    if (x === null || x === undefined || y === null || y === undefined) {
      // no number (no lean, failed, skipped) sorts last either way, in verdict groups
      var nx = x === null || x === undefined, ny = y === null || y === undefined;
      if (nx !== ny) { return nx ? 1 : -1; }
      return (RANK[a.verdict] - RANK[b.verdict]) || a.n - b.n;
    }
    var r = typeof x === "string" ? x.localeCompare(y) : x < y ? -1 : x > y ? 1 : 0;
    return (sort.dir * r) || a.n - b.n;
  }
  // The histogram of P(scientist), as the batch report's: ten bins in the two hues and
  // a grey "no lean" bar apart (undetermined resumes have no probability to bin).
  function histogram(ps, none) {
    var counts = [], i;
    for (i = 0; i < BINS; i++) { counts.push(0); }
    ps.forEach(function (p) { counts[Math.min(Math.floor(p * BINS), BINS - 1)] += 1; });
    var step = 36, gap = 24, base = 84, pad = 22, right = pad + BINS * step, height = 118;
    var width = right + gap + step + pad, peak = Math.max.apply(null, counts.concat([none, 1]));
    var out = svg("svg", {viewBox: "0 0 " + width + " " + height, width: width, height: height,
      role: "img", "aria-label": "Histogram of P(scientist) over " + ps.length +
      " leaning resumes, and " + none + " with no lean"});
    out.append(svg("line", {x1: pad, y1: base, x2: right, y2: base, stroke: "#8995a1"}));
    function bar(x, n, colour, title) {
      var h = (base - 18) * n / peak;
      var r = svg("rect", {x: x + 2, y: base - h, width: step - 4, height: h, fill: colour});
      r.append(svg("title", {}, title + ": " + n));
      out.append(r);
      if (n) {
        out.append(svg("text", {x: x + step / 2, y: base - h - 4, "font-size": 11,
          "text-anchor": "middle", fill: "#1d232a"}, String(n)));
      }
    }
    counts.forEach(function (n, j) {
      bar(pad + j * step, n, (j + 0.5) / BINS < 0.5 ? COLOURS.engineer : COLOURS.scientist,
          (j / BINS).toFixed(1) + "\u2013" + ((j + 1) / BINS).toFixed(1));
    });
    for (i = 0; i <= BINS; i += Math.max(BINS / 5, 1)) {
      out.append(svg("text", {x: pad + i * step, y: base + 14, "font-size": 11,
        "text-anchor": "middle", fill: "#5b6670"}, (i / BINS).toFixed(1)));
    }
    var x = right + gap;
    out.append(svg("line", {x1: x, y1: base, x2: x + step, y2: base, stroke: "#8995a1"}));
    bar(x, none, COLOURS.undetermined, "undetermined (no lean)");
    out.append(svg("text", {x: x + step / 2, y: base + 14, "font-size": 11,
      "text-anchor": "middle", fill: "#5b6670"}, "no lean"));
    out.append(svg("text", {x: right / 2 + pad / 2, y: height - 2, "font-size": 11,
      "text-anchor": "middle", fill: "#5b6670"}, "P(scientist): engineer-leaning left, " +
      "scientist right"));
    return out;
  }
  var filterText = $("filter-text"), filterVerdict = $("filter-verdict");
  function render() {
    var order = rows.slice();
    if (sort.col >= 0) { order.sort(compare); }
    var q = filterText.value.trim().toLowerCase(), want = filterVerdict.value, shown = 0;
    var focused = document.activeElement, inside = tbody.contains(focused);
    order.forEach(function (e, i) {
      var keep = (want === "" || e.verdict === want) && (q === "" || e.search.indexOf(q) >= 0);
      e.tr.hidden = !keep;
      shown += keep ? 1 : 0;
      if (tbody.children[i] !== e.tr) { tbody.insertBefore(e.tr, tbody.children[i] || null); }
    });
    if (inside && document.activeElement !== focused) { focused.focus(); }
    var counts = {engineer: 0, scientist: 0, undetermined: 0, failed: 0, skipped: 0};
    var ps = [];
    rows.forEach(function (e) {
      counts[e.verdict] = (counts[e.verdict] || 0) + 1;
      if (LEANS[e.verdict]) { ps.push(e.data.scientist_probability); }
    });
    var scored = counts.engineer + counts.scientist + counts.undetermined;
    $("counts").textContent = rows.length === 0 ? "" : plural(rows.length, "file") + ": " +
      scored + " scored (" + counts.engineer + " lean engineer, " + counts.scientist +
      " lean scientist, " + counts.undetermined + " undetermined: no lean); " +
      counts.failed + " failed; " + counts.skipped + " skipped.";
    Array.prototype.forEach.call(filterVerdict.options, function (o) {
      var n = o.value === "" ? rows.length : counts[o.value] || 0;
      o.textContent = (o.value === "" ? "all" : o.value === "undetermined" ?
        "undetermined (no lean)" : o.value) + " (" + n + ")";
    });
    $("hist").replaceChildren(rows.length ? histogram(ps, counts.undetermined) : "");
    $("filter-count").textContent = rows.length ? shown + " of " + rows.length + " shown" : "";
    $("empty").hidden = rows.length > 0 && shown > 0;
    $("empty").textContent = rows.length === 0 ?
      "No files yet: drop resumes above, choose files or a folder, or paste text." :
      "No row matches the filter.";
    $("table-wrap").hidden = rows.length === 0;
    var live = batches.filter(function (b) { return !b.gone; }).length > 0;
    $("dl-csv").disabled = !live;
    $("dl-jsonl").disabled = !live;
    $("clear").disabled = rows.length === 0 && !live;
    root.setAttribute("data-rows", String(rows.length));
  }
  Array.prototype.forEach.call($("rows").tHead.rows[0].cells, function (th, col) {
    th.querySelector("button").addEventListener("click", function () {
      sort.dir = sort.col === col ? -sort.dir : 1;
      sort.col = col;
      Array.prototype.forEach.call(th.parentNode.cells, function (h) {
        h.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
      render();
    });
  });
  filterText.addEventListener("input", render);
  filterVerdict.addEventListener("change", render);

  // -- uploading: files and folders, in batches within the server's limits -----------
  function query() {
    var q = [], engine = $("opt-engine").value;
    if (engine) { q.push("engine=" + encodeURIComponent(engine)); }
    if ($("opt-ocr").checked) { q.push("ocr=true"); }
    return q.length ? "?" + q.join("&") : "";
  }
  function jobLine(text) {
    var label = el("span", {text: text});
    var bar = el("progress", {max: 1, value: 0, "aria-label": "progress"});
    var li = el("li", {}, [label, bar]);
    $("jobs").prepend(li);
    return {
      say: function (t, fraction) {
        label.textContent = t;
        if (fraction === undefined) { bar.hidden = true; } else { bar.value = fraction; }
      },
      fail: function (t) { label.textContent = t; label.className = "error"; bar.hidden = true; }
    };
  }
  function ext(name) {
    var dot = name.lastIndexOf(".");
    return dot > 0 ? name.slice(dot).toLowerCase() : "";
  }
  function upload(list) {
    var keep = [], hidden = 0, other = {};
    list.forEach(function (item) {
      if (item.path.split("/").some(function (p) { return p.charAt(0) === "."; })) {
        hidden += 1;
      } else if (READ.indexOf(ext(item.file.name)) < 0) {
        other[ext(item.file.name) || "no extension"] = true;
      } else {
        keep.push(item.file);
      }
    });
    var left = list.length - keep.length - hidden;
    if (left || hidden) {
      var msg = "Not sent: " + (left ? plural(left, "file") + " of types the reader does not " +
        "read (" + Object.keys(other).join(", ") + ")" : "") + (left && hidden ? "; " : "") +
        (hidden ? plural(hidden, "hidden file") : "") + ".";
      jobLine(msg).say(msg);
    }
    var chunk = [], size = 0;
    keep.forEach(function (f) {
      if (chunk.length && (chunk.length >= MAX_FILES || size + f.size > MAX_BYTES)) {
        sendBatch(chunk);
        chunk = [];
        size = 0;
      }
      chunk.push(f);
      size += f.size;
    });
    if (chunk.length) { sendBatch(chunk); }
  }
  async function sendBatch(files) {
    var total = files.reduce(function (s, f) { return s + f.size; }, 0);
    var what = plural(files.length, "file") + " (" + bytes(total) + ")";
    var job = jobLine("Uploading " + what + "\u2026");
    var form = new FormData();
    files.forEach(function (f) { form.append("files", f, f.name); });
    var res = await api("POST", "/api/v1/batches" + query(), {body: form,
      onUpload: function (done, all) {
        job.say("Uploading " + what + ": " + Math.round(100 * done / all) + "%", done / all);
      }});
    if (res.status !== 202) {
      job.fail("Upload of " + what + " failed. " + problem(res) +
               (res.status === 413 ? " Send fewer or smaller files at a time." : ""));
      return;
    }
    var info = json(res);
    var batch = {id: info.id, url: info.status_url, files: info.files, received: 0, job: job,
                 misses: 0, gone: false};
    batches.push(batch);
    job.say("Reading " + what + ": 0 of " + info.files + " done", 0);
    render();
    poll(batch);
  }
  async function poll(batch) {
    var res = await api("GET", batch.url + "?since=" + batch.received);
    if (batch.gone) { return; }
    if (res.status === 200) {
      var data = json(res);
      batch.misses = 0;
      data.rows.forEach(function (r) {
        if (r.index >= batch.received) { addRow(r, batch); batch.received = r.index + 1; }
      });
      var c = data.counts;
      if (data.status === "done") {
        batch.job.say("Done: " + plural(data.files, "file") + ", " + c.engineer +
          " engineer, " + c.scientist + " scientist, " + c.undetermined + " no lean, " +
          c.failed + " failed" + (c.skipped ? ", " + c.skipped + " skipped" : "") + ".");
      } else {
        batch.job.say("Reading: " + data.done + " of " + data.files + " done",
                      data.done / Math.max(data.files, 1));
      }
      render();
      if (data.status !== "done") { setTimeout(function () { poll(batch); }, 500); }
      return;
    }
    batch.misses += 1;
    if (res.status !== 404 && res.status !== 401 && batch.misses < 10) {
      setTimeout(function () { poll(batch); }, 1500);
      return;
    }
    batch.job.fail("Stopped waiting for rows. " + problem(res));
  }
  function picked(input) {
    var list = Array.prototype.map.call(input.files, function (f) {
      return {file: f, path: f.webkitRelativePath || f.name};
    });
    input.value = "";
    if (list.length) { upload(list); }
  }
  $("pick-files").addEventListener("change", function () { picked(this); });
  $("pick-folder").addEventListener("change", function () { picked(this); });
  $("pick-files-btn").addEventListener("click", function () { $("pick-files").click(); });
  if ("webkitdirectory" in $("pick-folder")) {
    $("pick-folder-btn").hidden = false;
    $("pick-folder-btn").addEventListener("click", function () { $("pick-folder").click(); });
  }
  function entryFile(entry) {
    return new Promise(function (resolve) { entry.file(resolve, function () { resolve(null); }); });
  }
  function entries(reader) {
    return new Promise(function (resolve) {
      reader.readEntries(resolve, function () { resolve([]); });
    });
  }
  async function walk(entry, prefix, out) {
    if (entry.isFile) {
      var f = await entryFile(entry);
      if (f) { out.push({file: f, path: prefix + f.name}); }
    } else if (entry.isDirectory) {
      var reader = entry.createReader();
      for (;;) {
        var some = await entries(reader);
        if (!some.length) { break; }
        for (var i = 0; i < some.length; i++) {
          await walk(some[i], prefix + entry.name + "/", out);
        }
      }
    }
  }
  var zone = $("drop");
  // Files dropped anywhere on the page are uploaded; text dragged into the paste box is not
  // stopped.
  function files(e) {
    return Array.prototype.indexOf.call(e.dataTransfer ? e.dataTransfer.types : [], "Files") >= 0;
  }
  document.addEventListener("dragover", function (e) {
    if (!files(e)) { return; }
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    zone.classList.add("over");
  });
  document.addEventListener("dragleave", function (e) {
    if (!e.relatedTarget) { zone.classList.remove("over"); }
  });
  document.addEventListener("drop", async function (e) {
    if (!files(e)) { return; }
    e.preventDefault();
    zone.classList.remove("over");
    var dt = e.dataTransfer, found = [];
    var items = Array.prototype.map.call(dt.items || [], function (it) {
      return it.webkitGetAsEntry ? it.webkitGetAsEntry() : null;
    }).filter(Boolean);
    var plain = Array.prototype.map.call(dt.files || [], function (f) {
      return {file: f, path: f.name};
    });
    if (!items.length) { found = plain; }
    for (var i = 0; i < items.length; i++) { await walk(items[i], "", found); }
    if (found.length) { upload(found); }
  });

  // -- pasted text -------------------------------------------------------------------
  async function classifyText(text, toward) {
    var q = "?filename=pasted.txt" + (toward ? "&toward=" + toward : "");
    return api("POST", "/api/v1/classify" + q, {body: text, retryBusy: true,
      headers: {"Content-Type": "text/plain; charset=utf-8"}});
  }
  $("paste-go").addEventListener("click", async function () {
    var text = $("paste").value, status = $("paste-status");
    status.className = "muted";
    status.replaceChildren();
    if (!text.trim()) { status.textContent = "Paste some text first."; return; }
    var button = this;
    button.disabled = true;
    status.textContent = "Reading the text\u2026";
    var res = await classifyText(text);
    button.disabled = false;
    if (res.status !== 200) {
      status.className = "error";
      status.textContent = problem(res);
      return;
    }
    var result = json(res);
    // a classify answer is a scored file: the row fields of a batch, without a status
    var e = addRow(Object.assign({status: "ok"}, result), null, {text: text});
    e.cache[""] = result;
    render();
    var open = el("button", {type: "button", cls: "link", text: "open the report"});
    open.addEventListener("click", function () { openReport(e); });
    status.replaceChildren("Pasted text: " + headline(result) + ". Added to the table; ",
                           open, ".");
  });

  // -- one resume's report ----------------------------------------------------------
  function headline(r) {
    if (r.label === "undetermined") {
      return "undetermined (no lean): too little machine-learning vocabulary to judge";
    }
    return "leans " + ROLE[r.label] + (r.thin_evidence ? " on thin evidence" : "") +
      ", P(scientist) " + prob(r.scientist_probability);
  }
  var current = null, loading = 0;
  var dialog = $("report-dlg"), frame = $("report-frame"), summary = $("report-summary");
  function towardChoice() {
    var on = document.querySelector("input[name=toward]:checked");
    return on ? on.value : "";
  }
  function openReport(e) {
    current = e;
    $("report-title").textContent = e.data.source;
    frame.title = "Report for " + e.data.source;
    document.querySelector("input[name=toward][value='']").checked = true;
    $("report-save").hidden = Boolean(e.pasted);
    frame.hidden = true;
    summary.hidden = true;
    if (!dialog.open) { dialog.showModal(); }
    $("report-close").focus();
    loadReport();
  }
  async function loadReport() {
    var e = current, toward = towardChoice(), ticket = ++loading;
    var status = $("report-status");
    root.removeAttribute("data-report");
    status.className = "muted";
    status.textContent = "Loading the report\u2026";
    if (e.cache[toward] === undefined) {
      var res = e.pasted ? await classifyText(e.pasted.text, toward) :
        await api("GET", e.report + (toward ? "?toward=" + toward : ""));
      if (ticket !== loading) { return; }
      if (res.status !== 200) {
        status.className = "error";
        status.textContent = problem(res);
        return;
      }
      e.cache[toward] = e.pasted ? json(res) : res.text;
    }
    if (ticket !== loading) { return; }
    status.textContent = "";
    var shown = function () { root.setAttribute("data-report", toward || "default"); };
    if (e.pasted) {
      summary.replaceChildren(summaryView(e.cache[toward]));
      summary.hidden = false;
      shown();
    } else {
      frame.onload = function () { if (ticket === loading) { shown(); } };
      frame.srcdoc = e.cache[toward];
      frame.hidden = false;
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("input[name=toward]"), function (r) {
    r.addEventListener("change", loadReport);
  });
  $("report-close").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () {
    loading += 1;
    frame.removeAttribute("srcdoc");
    root.removeAttribute("data-report");
  });
  $("report-save").addEventListener("click", function () {
    var html = current && current.cache[towardChoice()];
    if (typeof html === "string") {
      save(html, "text/html", current.data.source.replace(/[^A-Za-z0-9._-]+/g, "_") +
        "-report.html");
    }
  });
  // A pasted text's report, built from its classify JSON (the same facts as the page).
  function summaryView(r) {
    var parts = [el("p", {cls: "verdict", text: headline(r)})];
    if (r.label === "undetermined") {
      parts.push(el("p", {text: "If it were an ML text, its vocabulary would lean toward " +
        ROLE[r.lean] + " (this is not a verdict)."}));
    }
    parts.push(el("p", {cls: "muted", text: plural(r.evidence_terms, "role term") + ", " +
      plural(r.ml_terms, "machine-learning term") + "; bias " + signed(r.bias, 3) +
      ", logit " + signed(r.logit, 3) + "."}));
    function terms(title, list, cls) {
      return el("div", {}, [el("h3", {text: title}), list.length ? el("div", {},
        list.slice(0, 12).map(function (c) {
          var f = forms(c.term, c.matched);
          return el("span", {cls: "tl " + cls}, [c.term, " ",
            el("span", {cls: "m", text: c.section + (c.count > 1 ? " \u00d7" + c.count : "") +
              (f.length ? " (" + f.join(", ") + ")" : "")}), " ",
            el("span", {cls: "w", text: signed(c.weight)})]);
        })) : el("p", {cls: "muted", text: "none"})]);
    }
    parts.push(el("div", {cls: "grid"}, [terms("Toward engineer", side(r, -1), "e"),
                                         terms("Toward scientist", side(r, 1), "s")]));
    if (r.advice && r.advice.length) {
      parts.push(el("h3", {text: "What would move it toward " + ROLE[r.advice[0].toward]}),
        table(["term", "section", "logit gain", "P(scientist) after"],
          r.advice.slice(0, 15).map(function (a) {
            return [a.term, a.section, signed(a.logit_gain), prob(a.probability_after)];
          }), 2));
    }
    if (r.missing_ml_terms && r.missing_ml_terms.length) {
      parts.push(el("h3", {text: "Machine-learning terms it does not use"}),
                 el("p", {text: r.missing_ml_terms.join(", ")}));
    }
    if (r.flip) {
      parts.push(el("h3", {text: "What would flip it"}), el("p", {text: "Removing " +
        plural(r.flip.terms.length, "term") + " would flip it (logit " +
        signed(r.flip.logit_after) + "): " + r.flip.terms.join(", ")}));
    }
    if (r.warnings && r.warnings.length) {
      parts.push(el("h3", {text: "Warnings"}), el("ul", {}, r.warnings.map(function (w) {
        return el("li", {text: w});
      })));
    }
    parts.push(el("p", {cls: "muted", text: cfg.note}));
    return el("div", {cls: "card"}, parts);
  }

  // -- downloads and clearing ---------------------------------------------------------
  function save(text, type, name) {
    var url = URL.createObjectURL(new Blob([text], {type: type}));
    var a = el("a", {href: url, download: name, hidden: true});
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 2000);
  }
  async function download(fmt) {
    var parts = [], live = batches.filter(function (b) { return !b.gone; });
    var status = $("download-status");
    status.className = "muted";
    status.textContent = "Preparing " + fmt.toUpperCase() + "\u2026";
    for (var i = 0; i < live.length; i++) {
      var res = await api("GET", live[i].url + "/rows." + fmt);
      if (res.status !== 200) {
        status.className = "error";
        status.textContent = "Download failed. " + problem(res);
        return;
      }
      var text = res.text;
      if (fmt === "csv" && i > 0) { text = text.slice(text.indexOf("\n") + 1); }
      parts.push(text);
    }
    save(parts.join(""), fmt === "csv" ? "text/csv" : "application/x-ndjson",
         "resume-role-rows." + fmt);
    status.textContent = "";
  }
  $("dl-csv").addEventListener("click", function () { download("csv"); });
  $("dl-jsonl").addEventListener("click", function () { download("jsonl"); });
  $("clear").addEventListener("click", function () {
    batches.forEach(function (b) {
      if (!b.gone) { b.gone = true; api("DELETE", b.url); }
    });
    batches = [];
    rows = [];
    tbody.replaceChildren();
    $("jobs").replaceChildren();
    $("paste-status").replaceChildren();
    render();
  });
  render();
  root.setAttribute("data-ready", "1");
})();
"""


def _accept() -> str:
    return ",".join((*READ_SUFFIXES, *LEGACY_FORMATS))


_COLUMNS = (("File", ""), ("Verdict", ""), ("P(scientist)", "num"), ("ML terms", "num"),
            ("Role terms", "num"), ("Toward engineer", ""), ("Toward scientist", ""),
            ("Status", ""))  # fmt: skip


def _body() -> str:
    heads = "".join(
        f'<th scope="col"{f" class={c}" if c else ""}><button type="button">{esc(name)}'
        "</button></th>"
        for name, c in _COLUMNS
    )
    types = "PDF, Word .docx, .txt, .md, .tex, .typ; images with OCR"
    return f"""<a class="skip" href="#results">Skip to the results</a>
<header class="card head">
<div class="main"><h1>resume-role</h1>
<p class="muted">Does a resume lean toward ML Engineer or ML Scientist, and why? Files stay
in memory on this machine.</p></div>
<div class="side"><nav aria-label="Views"><a id="nav-classify" href="/">Resumes</a>
<a id="nav-model" href="/model">Model</a></nav>
<p id="model-line" class="muted"></p></div>
</header>
<noscript><p class="card">This page needs JavaScript. The API works without it: see
<a href="/docs">/docs</a>.</p></noscript>
<main id="view-classify" hidden>
<div class="inputs">
<section class="card" aria-labelledby="add-h">
<div id="drop" class="drop">
<h2 id="add-h" class="drop-title">Drop resumes or a folder anywhere on the page</h2>
<p class="muted">{esc(types)}</p>
<div class="actions">
<button type="button" id="pick-files-btn" class="btn primary">Choose files&hellip;</button>
<button type="button" id="pick-folder-btn" class="btn" hidden>Choose a folder&hellip;</button>
</div>
<input type="file" id="pick-files" class="vh" multiple accept="{esc(_accept())}"
 tabindex="-1" aria-hidden="true">
<input type="file" id="pick-folder" class="vh" multiple webkitdirectory tabindex="-1"
 aria-hidden="true">
</div>
<details class="opts"><summary>Reading options</summary>
<div class="row"><label for="opt-engine">PDF engine</label>
<select id="opt-engine"><option value="">the server's default</option>
<option value="pdfplumber">pdfplumber (reference)</option>
<option value="pdfium">pdfium (fast)</option></select>
<label><input type="checkbox" id="opt-ocr"> read scans and images with OCR (slower)</label>
</div><p class="muted">Up to {SERVE_MAX_BATCH_FILES} files or {SERVE_MAX_BATCH_MB} MB go in one
upload (more are sent in several); each file is read under the server's limits (size, pages,
time).</p></details>
<ul id="jobs" class="jobs" aria-live="polite"></ul>
</section>
<section class="card" aria-labelledby="paste-h">
<h2 id="paste-h"><label for="paste">Or paste text: a resume or a job posting</label></h2>
<textarea id="paste" rows="4" spellcheck="false"></textarea>
<div class="actions"><button type="button" id="paste-go" class="btn primary">Classify the
text</button></div>
<p id="paste-status" class="muted" aria-live="polite"></p>
</section>
</div>
<section class="card" id="results" aria-labelledby="results-h" tabindex="-1">
<div class="results-head">
<div><h2 id="results-h">Results</h2>
<p id="counts" class="counts" aria-live="polite"></p>
<p class="muted">{esc(NOTE)}</p></div>
<div id="hist"></div>
</div>
<div class="filters">
<div><label for="filter-text">Filter by file name, term or note</label>
<input type="search" id="filter-text" autocomplete="off"></div>
<div><label for="filter-verdict">Verdict</label>
<select id="filter-verdict"><option value="">all</option><option value="engineer">engineer
</option><option value="scientist">scientist</option><option value="undetermined">undetermined
</option><option value="failed">failed</option><option value="skipped">skipped</option>
</select></div>
<p id="filter-count" class="muted" aria-live="polite"></p>
<div class="actions end">
<button type="button" id="dl-csv" class="btn" disabled>Download CSV</button>
<button type="button" id="dl-jsonl" class="btn" disabled>Download JSONL</button>
<button type="button" id="clear" class="btn" disabled
 aria-label="Clear the table and forget the batches on the server">Clear</button>
</div>
</div>
<p id="download-status" class="muted" aria-live="polite"></p>
<p id="empty" class="empty">No files yet.</p>
<div class="scroll" id="table-wrap" role="region" aria-labelledby="results-h" tabindex="0">
<table class="sortable results" id="rows"><thead><tr>{heads}</tr></thead><tbody></tbody>
</table></div>
<p class="muted">Click a file name to open its report; click a column heading to sort.
Undetermined resumes have no lean: they are counted, binned and sorted apart (last by
P(scientist), either way).
Downloads hold the uploaded files' rows, the same as <code>resume-role batch -o</code>.</p>
</section>
</main>
<main id="view-model" hidden>
<section class="card" aria-labelledby="model-h"><h2 id="model-h">The model in use</h2>
<div id="model-body"><p class="muted">Loading&hellip;</p></div></section>
</main>
<dialog id="report-dlg" class="report" aria-labelledby="report-title">
<div class="dlg-head"><h2 id="report-title"></h2>
<fieldset class="toward"><legend>Advice toward</legend>
<label><input type="radio" name="toward" value="" checked> the other role</label>
<label><input type="radio" name="toward" value="engineer"> ML Engineer</label>
<label><input type="radio" name="toward" value="scientist"> ML Scientist</label>
</fieldset>
<button type="button" id="report-save" class="btn">Save as HTML</button>
<button type="button" id="report-close" class="btn">Close</button></div>
<p id="report-status" class="muted" aria-live="polite"></p>
<iframe id="report-frame" sandbox="" title="Report" hidden></iframe>
<div id="report-summary" hidden></div>
</dialog>
<dialog id="token-dlg" aria-labelledby="token-title">
<h2 id="token-title">This server needs a token</h2>
<p>It was started with <code>--token</code> (or <code>$RESUME_ROLE_TOKEN</code>): ask whoever
started it. The page keeps the token for this tab only.</p>
<p id="token-error" class="error" hidden>That token was refused: check it and try again.</p>
<p id="token-empty" class="error" hidden>Type the token first.</p>
<form id="token-form" method="dialog"><label for="token-input">Token</label>
<input type="password" id="token-input" autocomplete="off">
<div class="actions"><button type="submit" id="token-ok" class="btn primary">Use this
token</button><button type="button" id="token-cancel" class="btn">Cancel</button></div>
</form>
</dialog>"""


def _css() -> str:
    colours = {
        "eng": HTML_ENGINEER_COLOUR,
        "sci": HTML_SCIENTIST_COLOUR,
        "eng_ink": shade(HTML_ENGINEER_COLOUR, 0.2),
        "sci_ink": shade(HTML_SCIENTIST_COLOUR, 0.45),
    }
    return CSS % colours + PAGE_CSS.replace("UND_COLOUR", UNDETERMINED_COLOUR)


def render_page() -> str:
    """The page: one self-contained HTML document (inline CSS and script, nothing external)."""
    data = {
        "read": _accept(),
        "max-files": SERVE_MAX_BATCH_FILES,
        "max-mb": SERVE_MAX_BATCH_MB,
        "bins": HISTOGRAM_BINS,
        "eng": HTML_ENGINEER_COLOUR,
        "sci": HTML_SCIENTIST_COLOUR,
        "und": UNDETERMINED_COLOUR,
        "note": NOTE,
    }
    attrs = "".join(f' data-{k}="{esc(v)}"' for k, v in data.items())
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n<title>resume-role</title>\n'
        f'<style>{_css()}</style>\n</head>\n<body{attrs}>\n<div class="wrap">\n{_body()}\n'
        f"</div>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def page_csp() -> str:
    """The page's Content-Security-Policy: its one script by hash, its own server only.

    Styles are inline (the page's and, in the report frame that inherits this policy,
    the report's ``style`` attributes); requests go to this server only; nothing else
    loads: no images, fonts, frames by URL, plugins or forms.
    """
    digest = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    return (
        f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
