// iotcert serve: the lint page. It talks to this server's /v1 API only.
"use strict";

const $ = (id) => document.getElementById(id);
let jsonURL = null;   // object URL of the last JSON report
let lastRequest = null; // {body, headers, query} of the last lint, for the SARIF download

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function status(msg, isError) {
  const s = $("status");
  s.textContent = msg;
  s.classList.toggle("error", !!isError);
}

async function loadProfiles() {
  const r = await fetch("/v1/profiles");
  const data = await r.json();
  const sel = $("profile");
  for (const p of data.profiles) {
    const o = el("option", { value: p.name }, p.name);
    o.title = p.description;
    if (p.name === data.default) o.selected = true;
    sel.append(o);
  }
  if (data.trust.length > 0) {
    $("trust-field").hidden = false;
    for (const t of data.trust) $("trust").append(el("option", { value: t }, t));
  }
}

// input returns the body and headers of the request: the chosen file, or
// the pasted text.
async function input() {
  const f = $("file").files[0];
  if (f) {
    const headers = { "Content-Type": "application/octet-stream" };
    headers["Content-Disposition"] = 'attachment; filename="' + f.name.replace(/["\\\r\n]/g, "_") + '"';
    const pw = $("password").value;
    if (pw) headers["Iotcert-PKCS12-Password"] = pw;
    return { body: await f.arrayBuffer(), headers };
  }
  const text = $("pem").value.trim();
  if (!text) return null;
  return { body: text + "\n", headers: { "Content-Type": "application/x-pem-file", "Content-Disposition": 'attachment; filename="pasted.pem"' } };
}

function query() {
  const q = new URLSearchParams({ profile: $("profile").value, fail_on: $("fail-on").value });
  if ($("trust").value) q.set("trust", $("trust").value);
  return q.toString();
}

async function post(req, accept) {
  return fetch("/v1/lint?" + req.query, { method: "POST", body: req.body, headers: Object.assign({ Accept: accept }, req.headers) });
}

async function lint(ev) {
  ev.preventDefault();
  const inp = await input();
  if (!inp) { status("Choose a file or paste a certificate first.", true); return; }
  const req = Object.assign(inp, { query: query() });
  status("Linting…");
  $("lint-button").disabled = true;
  try {
    const r = await post(req, "application/json");
    const text = await r.text();
    if (!r.ok) {
      let msg = text;
      try {
        const e = JSON.parse(text);
        msg = [e.error].concat((e.inputs || []).map((i) => i.message)).join("; ");
      } catch (e) { /* not JSON */ }
      status("Error " + r.status + ": " + msg, true);
      $("results").hidden = true;
      return;
    }
    lastRequest = req;
    const report = JSON.parse(text);
    if (jsonURL) URL.revokeObjectURL(jsonURL);
    jsonURL = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    $("download-json").href = jsonURL;
    showReport(report);
    await showDiagram(req);
    $("results").hidden = false;
    status(report.summary.certificates + " certificate(s) linted with profile " + report.profile + ".");
    $("results-heading").focus();
  } catch (e) {
    status("Error: " + e.message, true);
  } finally {
    $("lint-button").disabled = false;
  }
}

function showReport(report) {
  const v = report.verdict;
  const vp = $("verdict");
  vp.textContent = v.pass ? "Verdict: PASS (no finding at or above " + v.fail_on + ")" : "Verdict: FAIL (" + v.reason + ")";
  vp.className = v.pass ? "verdict-pass" : "verdict-fail";
  const s = report.summary, cells = $("summary").querySelectorAll("tbody td");
  [s.certificates, s.clean, s.findings.fatal, s.findings.error, s.findings.warn, s.findings.notice].forEach((n, i) => { cells[i].textContent = n; });
  const box = $("certificates");
  box.replaceChildren();
  report.certificates.forEach((c, i) => {
    const worst = c.findings.reduce((w, f) => Math.max(w, ["notice", "warn", "error", "fatal"].indexOf(f.level) + 1), 0);
    const label = worst ? ["notice", "warn", "error", "fatal"][worst - 1].toUpperCase() : "ok";
    const sec = el("section", { class: "cert", "aria-labelledby": "cert-" + i });
    sec.append(el("h3", { id: "cert-" + i }, label + " · " + c.role + " · " + (c.subject || "(no subject)")));
    const where = c.origin.file + " certificate " + c.origin.index + ", byte " + c.origin.offset + (c.origin.line ? ", line " + c.origin.line : "");
    sec.append(el("p", { class: "meta" }, where + (c.serial ? " · serial " + c.serial : "") + (c.sha256 ? " · SHA-256 " + c.sha256 : "")));
    if (c.findings.length === 0) {
      sec.append(el("p", { class: "clean" }, "No finding."));
    } else {
      const t = el("table", { class: "findings" });
      t.append(el("caption", {}, "Findings for certificate " + c.origin.index + " (" + c.role + ")"));
      t.append(el("thead", {}, el("tr", {}, ...["level", "lint", "citation", "details"].map((h) => el("th", { scope: "col" }, h)))));
      const tb = el("tbody");
      for (const f of c.findings) {
        tb.append(el("tr", {},
          el("td", { class: "level level-" + f.level }, f.level),
          el("td", { class: "lint" }, f.lint),
          el("td", {}, f.citation),
          el("td", {}, f.details)));
      }
      t.append(tb);
      sec.append(t);
    }
    box.append(sec);
  });
}

async function showDiagram(req) {
  const fig = $("diagram");
  fig.replaceChildren();
  const r = await post(req, "image/svg+xml");
  if (!r.ok) { fig.append(el("p", {}, "No diagram (" + r.status + ").")); return; }
  const doc = new DOMParser().parseFromString(await r.text(), "image/svg+xml");
  const svg = doc.documentElement;
  if (svg.nodeName !== "svg") { fig.append(el("p", {}, "No diagram.")); return; }
  fig.append(document.importNode(svg, true));
}

async function downloadSARIF() {
  if (!lastRequest) return;
  const r = await post(lastRequest, "application/sarif+json");
  if (!r.ok) { status("Error " + r.status + " while making the SARIF report", true); return; }
  const url = URL.createObjectURL(await r.blob());
  const a = el("a", { href: url, download: "iotcert-report.sarif" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function dropZone() {
  const d = $("drop");
  d.addEventListener("dragover", (e) => { e.preventDefault(); d.classList.add("over"); });
  d.addEventListener("dragleave", () => d.classList.remove("over"));
  d.addEventListener("drop", (e) => {
    e.preventDefault();
    d.classList.remove("over");
    if (e.dataTransfer.files.length > 0) {
      $("file").files = e.dataTransfer.files;
      fileChosen();
    }
  });
}

function fileChosen() {
  const f = $("file").files[0];
  $("password-field").hidden = !f || !/\.(p12|pfx)$/i.test(f.name);
}

document.addEventListener("DOMContentLoaded", () => {
  $("results-heading").tabIndex = -1;
  $("lint-form").addEventListener("submit", lint);
  $("download-sarif").addEventListener("click", downloadSARIF);
  $("file").addEventListener("change", fileChosen);
  dropZone();
  loadProfiles().catch((e) => status("Could not load the profiles: " + e.message, true));
});
