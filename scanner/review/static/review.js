// piiscan review UI: keyboard shortcuts for triage (no inline scripts: the CSP forbids them).
//
// On a document page: j/k (or the arrow keys) move among the findings, c / f / r decide the current
// one (confirm, false positive, needs redaction), x selects it for a bulk decision, ? shows the help.
// Decisions are sent with fetch (X-CSRF-Token header) and the row is updated in place; without
// JavaScript the same forms post and the page reloads.
"use strict";

(function () {
  var page = document.getElementById("review");
  if (!page) { return; }
  var csrf = page.getAttribute("data-csrf") || "";
  var prefix = page.getAttribute("data-prefix") || "";
  var doc = page.getAttribute("data-doc");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.finding"));
  var help = document.getElementById("help");
  var flash = document.getElementById("flash");
  var labels = { confirmed: "confirmed", false_positive: "false positive", needs_redaction: "needs redaction" };
  var current = -1;
  var flashTimer = null;

  function say(text, bad) {
    if (!flash) { return; }
    flash.textContent = text;
    flash.className = "flash show" + (bad ? " bad" : "");
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () { flash.className = "flash"; }, 1800);
  }

  function highlight(row) {
    Array.prototype.forEach.call(document.querySelectorAll(".viewer .highlight"), function (el) { el.remove(); });
    Array.prototype.forEach.call(document.querySelectorAll("mark.pii.current"), function (el) {
      el.classList.remove("current");
    });
    if (!row) { return; }
    var id = row.getAttribute("data-id");
    var mark = document.getElementById("m" + id);
    if (mark) {
      mark.classList.add("current");
      mark.scrollIntoView({ block: "nearest" });
      return;
    }
    var box = (row.getAttribute("data-box") || "").split(",").map(Number);
    var figure = document.querySelector('figure.page[data-page="' + row.getAttribute("data-page") + '"] .frame');
    if (!figure || box.length !== 4 || box.some(isNaN)) { return; }
    var mark2 = document.createElement("div");
    mark2.className = "highlight";
    // CSSOM, not a style attribute: allowed by the Content-Security-Policy.
    mark2.style.left = (box[0] * 100) + "%";
    mark2.style.top = (box[1] * 100) + "%";
    mark2.style.width = ((box[2] - box[0]) * 100) + "%";
    mark2.style.height = ((box[3] - box[1]) * 100) + "%";
    figure.appendChild(mark2);
    mark2.scrollIntoView({ block: "nearest" });
  }

  function select(index) {
    if (!rows.length) { return; }
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (rows[current]) { rows[current].classList.remove("current"); }
    current = index;
    var row = rows[current];
    row.classList.add("current");
    row.scrollIntoView({ block: "nearest" });
    highlight(row);
  }

  function show(ids, decision) {
    ids.forEach(function (id) {
      var row = document.getElementById("f" + id);
      if (!row) { return; }
      row.setAttribute("data-decision", decision);
      row.className = row.className.replace(/\s*\bd-\w+/g, "").replace(/\s*\bdecided\b/g, "") + " decided d-" + decision;
      var cell = row.querySelector("td.decision");
      if (cell) { cell.textContent = labels[decision] || decision; }
    });
    var counter = document.getElementById("decided-count");
    if (counter) { counter.textContent = String(document.querySelectorAll("tr.finding.decided").length); }
  }

  function send(url, body) {
    body.append("csrf", csrf);
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" }
    }).then(function (response) {
      if (response.status === 401) { window.location.reload(); throw new Error("signed out"); }
      if (!response.ok) { throw new Error("the server refused (" + response.status + ")"); }
      return response.json();
    });
  }

  function decideRow(row, decision) {
    var body = new FormData();
    body.append("decision", decision);
    return send(prefix + "/findings/" + row.getAttribute("data-id") + "/decision", body)
      .then(function (data) { show(data.findings, data.decision); say("#" + row.getAttribute("data-id") + ": " + data.label); })
      .catch(function (err) { say(err.message, true); });
  }

  function decideSelected(decision, reason) {
    var checked = rows.filter(function (r) { var box = r.querySelector("input[type=checkbox]"); return box && box.checked; });
    if (!checked.length) { return false; }
    var body = new FormData();
    body.append("decision", decision);
    if (reason) { body.append("reason", reason); }
    checked.forEach(function (r) { body.append("finding", r.getAttribute("data-id")); });
    send(prefix + "/documents/" + doc + "/decisions", body)
      .then(function (data) {
        show(data.findings, data.decision);
        checked.forEach(function (r) { r.querySelector("input[type=checkbox]").checked = false; });
        say(checked.length + " findings: " + data.label);
      })
      .catch(function (err) { say(err.message, true); });
    return true;
  }

  // The per-row buttons: sent with fetch, the page stays where it is.
  Array.prototype.forEach.call(document.querySelectorAll("form.decide"), function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.value) { return; }
      event.preventDefault();
      var row = form.closest("tr.finding");
      select(rows.indexOf(row));
      decideRow(row, button.value);
    });
  });

  var bulk = document.getElementById("bulk");
  if (bulk) {
    bulk.addEventListener("submit", function (event) {
      var decision = bulk.querySelector("select[name=decision]").value;
      var reason = bulk.querySelector("input[name=reason]").value;
      if (decideSelected(decision, reason)) { event.preventDefault(); }
    });
    var all = bulk.querySelector("button.select-all");
    if (all) {
      all.addEventListener("click", function () {
        var boxes = rows.map(function (r) { return r.querySelector("input[type=checkbox]"); });
        var on = boxes.some(function (b) { return b && !b.checked; });
        boxes.forEach(function (b) { if (b) { b.checked = on; } });
      });
    }
  }

  rows.forEach(function (row, index) {
    row.addEventListener("click", function (event) {
      if (event.target.closest("button, input, summary, a, select")) { return; }
      select(index);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("mark.pii[data-findings]"), function (mark) {
    mark.addEventListener("click", function () {
      var id = mark.getAttribute("data-findings").split(" ")[0];
      select(rows.indexOf(document.getElementById("f" + id)));
    });
  });

  function toggleHelp(open) {
    if (!help) { return; }
    help.hidden = open === undefined ? !help.hidden : !open;
  }
  Array.prototype.forEach.call(document.querySelectorAll(".help-link, .close-help"), function (el) {
    el.addEventListener("click", function (event) { event.preventDefault(); toggleHelp(); });
  });
  if (help) { help.addEventListener("click", function (event) { if (event.target === help) { toggleHelp(false); } }); }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" ||
                   target.isContentEditable)) {
      if (event.key === "Escape") { target.blur(); }
      return;
    }
    var key = event.key;
    if (key === "?") { toggleHelp(); event.preventDefault(); return; }
    if (key === "Escape") { toggleHelp(false); return; }
    if (help && !help.hidden) { return; }
    if (key === "j" || key === "ArrowDown") { select(current + 1); event.preventDefault(); return; }
    if (key === "k" || key === "ArrowUp") { select(current < 0 ? 0 : current - 1); event.preventDefault(); return; }
    var decision = { c: "confirmed", f: "false_positive", r: "needs_redaction" }[key];
    if (decision) {
      if (current < 0) { select(0); }
      if (rows[current]) { decideRow(rows[current], decision); }
      event.preventDefault();
      return;
    }
    if (key === "x" && rows[current]) {
      var box = rows[current].querySelector("input[type=checkbox]");
      if (box) { box.checked = !box.checked; }
      event.preventDefault();
    }
  });
})();
