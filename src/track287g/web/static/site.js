// track287g: search as you type, from the site's own agency index (/search.json). No outside request.
(function () {
  "use strict";
  var index = null, loading = null;
  function loose(s) { return (s || "").toLowerCase().replace(/[^a-z0-9]/g, ""); }
  function load() {
    if (!loading) {
      loading = fetch("/search.json").then(function (r) { return r.json(); }).then(function (d) { index = d.agencies; return index; });
    }
    return loading;
  }
  function match(q) {
    var words = q.split(/\s+/).map(loose).filter(Boolean), out = [];
    if (!words.length) return out;
    for (var i = 0; i < index.length && out.length < 12; i++) {
      var a = index[i], hay = a.hay, rest = words.filter(function (w) { return !(w.length === 2 && w.toUpperCase() === a.state); });
      var ok = rest.length ? rest.every(function (w) { return hay.indexOf(w) >= 0; }) : words[0].toUpperCase() === a.state;
      if (ok) out.push(a);
    }
    return out;
  }
  function show(form, list, q) {
    var lang = list.getAttribute("data-lang"), prefix = lang === "es" ? "/es" : "";
    list.textContent = "";
    if (!q.trim()) return;
    var hits = match(q);
    if (!hits.length) {
      var li = document.createElement("li"); li.textContent = list.getAttribute("data-none"); list.appendChild(li); return;
    }
    hits.forEach(function (a) {
      var li = document.createElement("li"), link = document.createElement("a");
      link.href = prefix + "/agency/" + encodeURIComponent(a.id) + "/";
      link.textContent = a.name + " (" + a.state + ")";
      li.appendChild(link); list.appendChild(li);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-search]").forEach(function (form) {
      var input = form.querySelector("input[name=q]"), list = form.querySelector(".results"), timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { load().then(function () { show(form, list, input.value); }); }, 120);
      });
    });
  });
})();
