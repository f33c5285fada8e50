// track287g: search as you type, from the site's own index (/search.json): agencies (any spelling ICE printed,
// abbreviations spelled out, a typo forgiven) and, in the place box, counties and states. No outside request.
(function () {
  "use strict";
  var index = null, loading = null;
  // the path the site is published under ("" at a host's root), as the page names it
  var ROOT = document.documentElement.getAttribute("data-root") || "";
  // the same abbreviations the server spells out (normalize.words.ABBREVIATIONS, the common ones)
  var ABBR = {
    st: "saint", ste: "sainte", mt: "mount", ft: "fort", dept: "department", co: "county", cnty: "county",
    pd: "police department", so: "sheriffs office", dps: "department of public safety", doc: "department of corrections",
    univ: "university", twp: "township", pct: "precinct", hwy: "highway"
  };
  function plain(s) { return (s || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, ""); }
  function loose(s) { return plain(s).replace(/[^a-z0-9]/g, ""); }
  function words(q) {
    var out = [];
    plain(q).replace(/&/g, " and ").replace(/'/g, "").split(/[^a-z0-9]+/).forEach(function (w) {
      if (w) (ABBR[w] || w).split(" ").forEach(function (x) { out.push(x); });
    });
    return out;
  }
  function load() {
    if (!loading) {
      // the Spanish pages' index names the states in Spanish (and keeps the English name in "also")
      var own = ROOT + (document.documentElement.lang === "es" ? "/es/search.json" : "/search.json");
      loading = fetch(own).then(function (r) { return r.json(); }).then(function (d) {
        d.agencies.forEach(function (a) { a.words = words(a.name); });
        d.places.forEach(function (p) {
          var all = p.name + (p.also ? " " + p.also : "");
          p.hay = loose(all); p.words = words(all);
        });
        index = d; return d;
      });
    }
    return loading;
  }
  // at most one letter wrong, missing or extra (for words of five letters or more)
  function near(a, b) {
    if (Math.abs(a.length - b.length) > 1 || a.length < 5) return false;
    var i = 0, j = 0, edits = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { i++; j++; continue; }
      if (++edits > 1) return false;
      if (a.length > b.length) i++; else if (b.length > a.length) j++; else { i++; j++; }
    }
    return edits + (a.length - i) + (b.length - j) <= 1;
  }
  function score(item, query, state) {
    // whole words of the name first, then words begun, then anywhere in the names ICE printed; a typo costs more
    var total = 0;
    for (var k = 0; k < query.length; k++) {
      var w = query[k], best = 0;
      if (w.length === 2 && state && w.toUpperCase() === state) { total += 3; continue; }
      for (var n = 0; n < item.words.length; n++) {
        var x = item.words[n];
        if (x === w) { best = 4; break; }
        if (x.indexOf(w) === 0) best = Math.max(best, 3);
        else if (near(x, w)) best = Math.max(best, 2);
      }
      if (!best && (item.hay || "").indexOf(loose(w)) >= 0) best = 1;
      if (!best) return 0;
      total += best;
    }
    return total;
  }
  function rank(items, q, limit, stateOf) {
    var query = words(q), hits = [];
    if (!query.length) return hits;
    items.forEach(function (a) {
      var s = score(a, query, stateOf(a));
      if (s) hits.push([s, a]);
    });
    hits.sort(function (x, y) {
      return y[0] - x[0] || (x[1].status === "active" ? 0 : 1) - (y[1].status === "active" ? 0 : 1) || x[1].name.length - y[1].name.length;
    });
    return hits.slice(0, limit).map(function (h) { return h[1]; });
  }
  function show(list, hits, render) {
    list.textContent = "";
    if (!hits.length) {
      var li = document.createElement("li"); li.textContent = list.getAttribute("data-none"); list.appendChild(li); return;
    }
    hits.forEach(function (h) {
      var li = document.createElement("li"), link = document.createElement("a");
      render(h, link); li.appendChild(link); list.appendChild(li);
    });
  }
  function agencies(form, list, q) {
    var lang = list.getAttribute("data-lang"), prefix = ROOT + (lang === "es" ? "/es" : "");
    if (!q.trim()) { list.textContent = ""; return; }
    show(list, rank(index.agencies, q, 12, function (a) { return a.state; }), function (a, link) {
      link.href = prefix + "/agency/" + encodeURIComponent(a.id) + "/";
      var status = a.status === "active" ? "" : " · " + (a.shown || a.status);  // in the page's words
      link.textContent = a.name + " (" + a.state + ")" + status;
    });
  }
  function places(form, list, q) {
    var lang = list.getAttribute("data-lang"), prefix = ROOT + (lang === "es" ? "/es" : "");
    if (!q.trim() || /^\d/.test(q.trim())) { list.textContent = ""; return; }
    show(list, rank(index.places, q, 8, function (p) { return p.kind === "county" ? p.name.slice(-2) : p.code; }), function (p, link) {
      link.href = prefix + p.url; link.textContent = p.name;
    });
  }
  function wire(selector, fill) {
    document.querySelectorAll(selector).forEach(function (form) {
      var input = form.querySelector("input[name=q]"), list = form.querySelector(".results"), timer = null;
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () { load().then(function () { fill(form, list, input.value); }); }, 120);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    wire("form[data-search]", agencies);
    wire("form[data-places]", places);
    // an embed code names this site's own address
    document.querySelectorAll("textarea[data-embed]").forEach(function (t) {
      t.value = t.value.split('="/').join('="' + location.origin + "/");
    });
  });
})();
