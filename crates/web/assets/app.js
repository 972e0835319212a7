// brokercrm back office: our own small script. Everything works without it; it only
// enhances: a form marked data-once is sent once (its buttons disable on submit), list
// filters and paging swap the results in place (the URL still changes, so views stay
// bookmarkable), a block marked data-poll refreshes itself until it is done, and a form with
// data-confirm asks first; a block marked data-live redraws its tables from a JSON route.
"use strict";
(function () {
  function swap(url, push) {
    return fetch(url, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (r) { return r.text().then(function (t) { return { r: r, t: t }; }); })
      .then(function (x) {
        if (x.r.redirected || !x.r.ok) { window.location.href = url; return; }
        var doc = new DOMParser().parseFromString(x.t, "text/html");
        var fresh = doc.getElementById("results");
        var old = document.getElementById("results");
        if (!fresh || !old) { window.location.href = url; return; }
        old.replaceWith(fresh);
        if (push) { history.pushState({}, "", url); }
        document.title = doc.title;
      })
      .catch(function () { window.location.href = url; });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { e.preventDefault(); return; }
    if (form.hasAttribute("data-once")) {
      if (form.dataset.sent === "1") { e.preventDefault(); return; }
      form.dataset.sent = "1";
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    }
    if (form.hasAttribute("data-filters") && window.fetch && document.getElementById("results")) {
      e.preventDefault();
      var params = new URLSearchParams(new FormData(form));
      var clean = new URLSearchParams();
      params.forEach(function (v, k) { if (v !== "") { clean.append(k, v); } });
      var q = clean.toString();
      swap(form.getAttribute("action") + (q ? "?" + q : ""), true);
    }
  });

  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[data-swap]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || !window.fetch) { return; }
    e.preventDefault();
    swap(a.getAttribute("href"), true);
  });

  window.addEventListener("popstate", function () { swap(window.location.href, false); });

  function poll() {
    var el = document.querySelector("[data-poll]");
    if (!el) { return; }
    var url = el.getAttribute("data-poll");
    setTimeout(function () {
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (t) {
          var doc = new DOMParser().parseFromString(t, "text/html");
          var fresh = doc.getElementById(el.id);
          if (fresh) { el.replaceWith(fresh); }
          poll();
        })
        .catch(function () { setTimeout(poll, 3000); });
    }, 700);
  }
  document.addEventListener("DOMContentLoaded", poll);

  // A block marked data-live re-reads its JSON every data-every ms and redraws each table
  // inside it marked data-rows (the JSON list it shows) from the columns in data-cols.
  function text(v) { return v === null || v === undefined ? "" : String(v); }
  function draw(box, data) {
    box.querySelectorAll("table[data-rows]").forEach(function (t) {
      var rows = data[t.getAttribute("data-rows")] || [];
      var cols = t.getAttribute("data-cols").split(" ");
      var heads = t.tHead ? t.tHead.rows[0].cells : [];
      var body = document.createElement("tbody");
      rows.forEach(function (r) {
        var tr = document.createElement("tr");
        tr.setAttribute("data-key", text(r[t.getAttribute("data-key")]));
        cols.forEach(function (c, i) {
          var td = document.createElement("td");
          var v = text(r[c]);
          td.textContent = c === "time" ? v.replace(/\.\d+Z$/, "Z") : v;
          if (heads[i] && heads[i].classList.contains("num")) { td.className = "num"; }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      if (!rows.length) {
        var tr = document.createElement("tr"), td = document.createElement("td");
        td.colSpan = cols.length;
        td.textContent = t.getAttribute("data-empty") || "";
        tr.appendChild(td);
        body.appendChild(tr);
      }
      t.tBodies[0].replaceWith(body);
    });
    box.querySelectorAll("[data-field]").forEach(function (el) {
      el.textContent = text(data[el.getAttribute("data-field")]);
    });
  }
  function live() {
    var box = document.querySelector("[data-live]");
    if (!box || !window.fetch) { return; }
    var url = box.getAttribute("data-live");
    var every = parseInt(box.getAttribute("data-every"), 10) || 3000;
    function tick() {
      setTimeout(function () {
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
          .then(function (d) { draw(box, d); tick(); })
          .catch(function () { setTimeout(tick, every * 3); });
      }, every);
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", live);
})();
