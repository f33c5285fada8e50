// track287g: the moving map. Counties shaded and agencies as points for every participating list since 2021,
// drawn by MapLibre GL JS (vendored in /static/vendor, CSP build) from the site's own data: no tiles, no fonts,
// no outside request. Without script or WebGL the server-drawn SVG map stays in place.
(function () {
  "use strict";
  // the path the site is published under ("" at a host's root), as the page names it
  var ROOT = document.documentElement.getAttribute("data-root") || "";
  var VENDOR = ROOT + "/static/vendor/maplibre-gl/";
  var COLORS = ["#fde0c5", "#f59e61", "#d4561d", "#8c2d04"]; // 1, 2-3, 4-7, 8+ agencies (as the SVG map)
  var MODELS = { JEM: "#7b3294", TFM: "#c2410c", WSO: "#0f766e", several: "#1b3a5c" };

  function webgl() {
    try {
      var c = document.createElement("canvas");
      return !!(window.WebGLRenderingContext && (c.getContext("webgl2") || c.getContext("webgl")));
    } catch (e) { return false; }
  }

  function load(src, css) {
    return new Promise(function (resolve, reject) {
      var el = document.createElement(css ? "link" : "script");
      if (css) { el.rel = "stylesheet"; el.href = src; } else { el.src = src; }
      el.onload = resolve; el.onerror = reject;
      document.head.appendChild(el);
    });
  }

  function json(url) { return fetch(url).then(function (r) { if (!r.ok) throw new Error(url); return r.json(); }); }

  function fmt(lang, n) {
    if (lang === "es") return n >= 10000 ? n.toLocaleString("en-US").replace(/,/g, "\u202f") : String(n);
    return n.toLocaleString("en-US");
  }

  function frameLabel(f) { return f.date + (f.part ? " " + f.part : ""); }

  function start(box) {
    var lang = box.getAttribute("data-lang") || "en", prefix = ROOT + (lang === "es" ? "/es" : "");
    var t = JSON.parse(box.getAttribute("data-text"));
    var fallback = document.querySelector(box.getAttribute("data-fallback"));
    var canvas = box.querySelector(".map-canvas"), slider = box.querySelector("input[type=range]");
    var play = box.querySelector(".map-play"), out = box.querySelector(".map-status");
    var tip = box.querySelector(".map-tip"), link = null, timer = null;
    Promise.all([
      json(ROOT + "/api/v1/map.json"), json(ROOT + "/api/v1/map/shapes.json"),
      load(VENDOR + "maplibre-gl.css", true), load(VENDOR + "maplibre-gl-csp.js")
    ]).then(function (got) {
      var data = got[0], shapes = got[1], ml = window.maplibregl;
      ml.setWorkerUrl(VENDOR + "maplibre-gl-csp-worker.js");
      var frames = data.frames, agencies = data.agencies, agreements = data.agreements;
      var countyNames = {};
      shapes.counties.features.forEach(function (f) { countyNames[f.properties.fips] = f.properties.name + ", " + (f.properties.state || ""); });
      var bounds = [[180, 90], [-180, -90]];
      shapes.states.features.forEach(function (f) {
        (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates).forEach(function (poly) {
          poly[0].forEach(function (p) {
            bounds[0][0] = Math.min(bounds[0][0], p[0]); bounds[0][1] = Math.min(bounds[0][1], p[1]);
            bounds[1][0] = Math.max(bounds[1][0], p[0]); bounds[1][1] = Math.max(bounds[1][1], p[1]);
          });
        });
      });
      if (fallback) fallback.hidden = true;
      box.hidden = false;
      var map = new ml.Map({
        container: canvas, bounds: bounds, fitBoundsOptions: { padding: 8 }, attributionControl: false,
        dragRotate: false, pitchWithRotate: false, touchPitch: false, maxZoom: 11, minZoom: 1,
        style: {
          version: 8,
          sources: {
            counties: { type: "geojson", data: shapes.counties, promoteId: "fips" },
            states: { type: "geojson", data: shapes.states },
            agencies: { type: "geojson", data: { type: "FeatureCollection", features: [] } }
          },
          layers: [
            { id: "bg", type: "background", paint: { "background-color": "#f4f6f8" } },
            { id: "land", type: "fill", source: "states", paint: { "fill-color": "#ffffff" } },
            {
              id: "counties", type: "fill", source: "counties",
              paint: {
                "fill-color": ["case",
                  [">=", ["coalesce", ["feature-state", "n"], 0], 8], COLORS[3],
                  [">=", ["coalesce", ["feature-state", "n"], 0], 4], COLORS[2],
                  [">=", ["coalesce", ["feature-state", "n"], 0], 2], COLORS[1],
                  [">=", ["coalesce", ["feature-state", "n"], 0], 1], COLORS[0], "rgba(0,0,0,0)"],
                "fill-outline-color": "#d5dbe1"
              }
            },
            { id: "states", type: "line", source: "states", paint: { "line-color": "#4a5560", "line-width": 0.7 } },
            {
              id: "agencies", type: "circle", source: "agencies",
              paint: {
                "circle-radius": ["interpolate", ["linear"], ["zoom"], 2, 2.2, 6, 4.5, 10, 8],
                "circle-color": ["match", ["get", "m"], "JEM", MODELS.JEM, "TFM", MODELS.TFM, "WSO", MODELS.WSO, MODELS.several],
                "circle-stroke-color": "#ffffff", "circle-stroke-width": 0.6
              }
            }
          ]
        }
      });
      box.map = map; // for the tests and the console
      map.addControl(new ml.NavigationControl({ showCompass: false }), "top-right");
      map.getCanvas().setAttribute("aria-label", t.canvas);

      var shaded = {}, current = -1;
      function frameState(n) {
        var models = {}, perCounty = {};
        agreements.forEach(function (g) {
          for (var i = 0; i < g[2].length; i++) {
            if (g[2][i][0] <= n && n <= g[2][i][1]) { (models[g[0]] = models[g[0]] || []).push(g[1]); break; }
          }
        });
        var features = [];
        Object.keys(models).forEach(function (k) {
          var a = agencies[k], ms = models[k].filter(function (m, i, all) { return all.indexOf(m) === i; }).sort();
          a.counties.forEach(function (c) { perCounty[c] = (perCounty[c] || 0) + 1; });
          if (a.lon === null) return;
          features.push({
            type: "Feature", geometry: { type: "Point", coordinates: [a.lon, a.lat] },
            properties: { id: a.id, name: a.name, state: a.state, m: ms.length > 1 ? "several" : ms[0], models: ms.join(", ") }
          });
        });
        return { features: features, counties: perCounty };
      }
      function show(n, push) {
        n = Math.max(0, Math.min(frames.length - 1, n));
        if (n === current) return;
        current = n;
        var st = frameState(n), f = frames[n];
        map.getSource("agencies").setData({ type: "FeatureCollection", features: st.features });
        Object.keys(shaded).forEach(function (c) { if (!st.counties[c]) map.setFeatureState({ source: "counties", id: c }, { n: 0 }); });
        Object.keys(st.counties).forEach(function (c) { map.setFeatureState({ source: "counties", id: c }, { n: st.counties[c] }); });
        shaded = st.counties;
        slider.value = String(n);
        slider.setAttribute("aria-valuetext", frameLabel(f));
        out.textContent = t.status.replace("{date}", frameLabel(f)).replace("{agencies}", fmt(lang, f.agencies)).replace("{agreements}", fmt(lang, f.agreements)) + (f.derived ? " " + t.derived : "");
        out.setAttribute("data-date", f.date);
        out.setAttribute("data-agencies", f.agencies);
        out.setAttribute("data-agreements", f.agreements);
        if (push) {
          var url = new URL(location.href);
          if (n === frames.length - 1) url.searchParams.delete("as_of"); else url.searchParams.set("as_of", f.date);
          var sameDay = frames.filter(function (x) { return x.date === f.date; }).length > 1;
          url.hash = sameDay && f.part ? f.part : "";
          history.replaceState(null, "", url.toString());
        }
      }
      function initial() {
        var url = new URL(location.href), on = url.searchParams.get("as_of"), part = url.hash.replace("#", "");
        if (!on) return frames.length - 1;
        var n = 0;
        frames.forEach(function (f, i) { if (f.date <= on) n = i; });
        frames.forEach(function (f, i) { if (f.date === frames[n].date && part && f.part === part) n = i; });
        return n;
      }
      slider.max = String(frames.length - 1);
      slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10), true); });
      function stop() { if (timer) { clearInterval(timer); timer = null; play.setAttribute("aria-pressed", "false"); play.textContent = t.play; } }
      play.addEventListener("click", function () {
        if (timer) { stop(); return; }
        if (current >= frames.length - 1) show(0, true);
        play.setAttribute("aria-pressed", "true"); play.textContent = t.pause;
        timer = setInterval(function () { if (current >= frames.length - 1) { stop(); return; } show(current + 1, true); }, 350);
      });

      function describe(feature) {
        var p = feature.properties;
        if (feature.layer.id === "agencies") {
          return { text: p.name + " (" + p.state + "): " + p.models, href: prefix + "/agency/" + encodeURIComponent(p.id) + "/" };
        }
        var n = shaded[p.fips] || 0, f = frames[current];
        var when = current === frames.length - 1 ? "" : "?as_of=" + f.date;
        return {
          text: (countyNames[p.fips] || p.name) + ": " + (n === 1 ? t.county_one : t.county).replace("{n}", fmt(lang, n)),
          href: prefix + "/county/" + p.fips + "/" + when
        };
      }
      function pick(point) {
        var found = map.queryRenderedFeatures(point, { layers: ["agencies"] });
        if (!found.length) found = map.queryRenderedFeatures(point, { layers: ["counties"] });
        return found.length ? describe(found[0]) : null;
      }
      function tell(d, x, y) {
        link = d;
        if (!d) { tip.hidden = true; return; }
        tip.textContent = "";
        var a = document.createElement("a"); a.href = d.href; a.textContent = d.text; tip.appendChild(a);
        tip.hidden = false;
        tip.style.left = Math.min(x + 12, canvas.clientWidth - tip.offsetWidth - 4) + "px";
        tip.style.top = Math.max(4, y - tip.offsetHeight - 10) + "px";
      }
      map.on("mousemove", function (e) {
        var d = pick(e.point);
        map.getCanvas().style.cursor = d ? "pointer" : "";
        tell(d, e.point.x, e.point.y);
      });
      map.on("mouseout", function () { if (!box.contains(document.activeElement)) tell(null); });
      map.on("click", function (e) {
        var d = pick(e.point), touch = e.originalEvent && e.originalEvent.pointerType === "touch";
        if (!d) { tell(null); return; }
        if (!touch || (link && link.href === d.href && !tip.hidden)) { location.href = d.href; return; }
        tell(d, e.point.x, e.point.y); // a first tap names the mark; a second opens it
      });
      // keyboard: arrows pan, + and - zoom (MapLibre); the mark under the crosshair is named, Enter opens it
      var cv = map.getCanvas();
      function centre() {
        if (document.activeElement !== cv) return;
        var p = { x: cv.clientWidth / 2, y: cv.clientHeight / 2 };
        tell(pick(p), p.x, p.y);
      }
      cv.addEventListener("focus", function () { box.classList.add("kbd"); centre(); });
      cv.addEventListener("blur", function () { box.classList.remove("kbd"); });
      map.on("moveend", centre);
      cv.addEventListener("keydown", function (e) { if (e.key === "Enter" && link && !tip.hidden) location.href = link.href; });

      map.once("load", function () { show(initial(), false); box.setAttribute("data-ready", "true"); });
    }).catch(function () {
      if (fallback) fallback.hidden = false;
      box.hidden = true;
    });
  }

  // after the page's first paint (a frame, then a task): a WebGL context and MapLibre's megabyte of script would
  // otherwise hold the first render of the page's words back
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-map]");
    if (!box) return;
    requestAnimationFrame(function () {
      setTimeout(function () { if (webgl() && window.fetch && window.Promise) start(box); }, 0);
    });
  });
})();
