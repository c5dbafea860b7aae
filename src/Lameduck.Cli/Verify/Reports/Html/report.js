// lameduck's HTML report: draws the runs held in #lameduck-data with the DOM and SVG only (no library, no
// network). Every run is drawn on one time axis and one scale, so runs one above the other compare at a glance.
// What is drawn is also written into data-* attributes (counts, times, pixel positions): the tests read them
// back from the rendered page and check them against the run's JSON.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("lameduck-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var runs = data.runs, multi = runs.length > 1, body = document.body;

  function svg(name, attrs, parent, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(name, attrs, parent, text) {
    var e = document.createElement(name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function hover(parent, text) { svg("title", {}, parent, text); }
  function num(n) { return Number(n).toLocaleString("en-US"); }
  function sec(s) { return s.toFixed(3) + " s"; }
  function slug(n) { return String(n).replace(/[^a-z0-9]+/gi, "-"); }
  function px(v) { return v.toFixed(2); }
  // A success ratio never reads 100.00 % while there are errors: as many decimals as it takes (99.998 %).
  function percent(ratio, errors) {
    var digits = 2;
    while (errors > 0 && digits < 6 && (ratio * 100).toFixed(digits) === (100).toFixed(digits)) digits++;
    return (ratio * 100).toFixed(digits) + " %";
  }
  function sum(a) { var t = 0; for (var i = 0; i < a.length; i++) t += a[i]; return t; }

  // How each mark kind is drawn; a kind not listed is a grey tick (so callers can add kinds, e.g. session ends).
  var GLYPHS = {
    "started": { shape: "tick", color: "#78909c", text: "started" },
    "ready": { shape: "tick", color: "#2e7d32", text: "ready" },
    "not-ready": { shape: "tick", color: "#c62828", text: "not ready" },
    "endpoint-added": { shape: "plus", color: "#1565c0", text: "endpoint added" },
    "terminating": { shape: "bar", color: "#e65100", text: "terminating (pod deleted)" },
    "endpoint-removed": { shape: "cross", color: "#1565c0", text: "endpoint removed" },
    "prestop-done": { shape: "diamond", color: "#8e24aa", text: "preStop done" },
    "signal": { shape: "down", color: "#000", text: "stop signal sent" },
    "exited": { shape: "dot", color: "#000", text: "exited (code)" },
    "killed": { shape: "square", color: "#d50000", text: "SIGKILL" },
  };
  var PHASES = {
    "starting": { color: "#cfd8dc", text: "starting" },
    "serving": { color: "#81c784", text: "ready" },
    "terminating": { color: "#ffcc80", text: "terminating" },
    "signal-to-exit": { color: "#ef6c00", text: "signal → exit" },
  };

  // ---- Colours: successes muted, errors strong, the same outcome the same colour in every run.
  var fixed = { "2xx": "#a5d6a7", "3xx": "#c5e1a5", "4xx": "#ff8f00", "connection refused": "#6a1b9a",
                "connection reset": "#c2185b", "timeout": "#3e2723", "other": "#37474f", "saturated": "#757575" };
  var reds = ["#d50000", "#ff3d00", "#b71c1c", "#ff6d00", "#880e4f", "#e53935"];
  var outcomes = [];
  runs.forEach(function (r) { r.series.forEach(function (s) { if (outcomes.indexOf(s.outcome) < 0) outcomes.push(s.outcome); }); });
  var color = {}, ri = 0;
  outcomes.slice().sort().forEach(function (n) { color[n] = fixed[n] || reds[ri++ % reds.length]; });

  // ---- One time axis for every run: from the earliest thing drawn (start-up before the load is negative)
  // to the last (a rollout may outlast the load), and one column width for all.
  var bucketS = runs[0].bucket_ms / 1000, t0 = 0, t1 = 0;
  runs.forEach(function (r) {
    r.buckets = 0;
    r.series.forEach(function (s) { r.buckets = Math.max(r.buckets, s.counts.length); });
    t1 = Math.max(t1, r.buckets * bucketS, r.report.duration_s || 0);
    r.markers.forEach(function (m) { t0 = Math.min(t0, m.at_s); t1 = Math.max(t1, m.at_s); });
    r.lanes.forEach(function (l) { l.marks.forEach(function (m) { t0 = Math.min(t0, m.at_s); t1 = Math.max(t1, m.at_s); }); });
  });
  if (t1 <= t0) t1 = t0 + 1;
  var W = 1160, L = 66, R = 66, PW = W - L - R;
  function x(t) { return L + PW * (t - t0) / (t1 - t0); }
  // At most one column per pixel: long runs merge adjacent buckets (a 10-minute run: 600 ms columns).
  var merge = Math.max(1, Math.ceil((t1 - t0) / (PW * bucketS))), colS = merge * bucketS;
  var colMs = Math.round(colS * 1000);

  // Columns of every run, and the scales they share.
  var maxStack = 1, maxErr = 1, maxP99 = 0;
  runs.forEach(function (r) {
    r.columns = [];
    var cols = Math.ceil(r.buckets / merge);
    for (var c = 0; c < cols; c++) {
      var col = { ok: [], err: [], okSum: 0, errSum: 0 };
      r.series.forEach(function (s) {
        var v = 0;
        for (var b = c * merge; b < Math.min(r.buckets, (c + 1) * merge); b++) v += s.counts[b] || 0;
        if (!v) return;
        if (s.error) { col.err.push([s.outcome, v]); col.errSum += v; } else { col.ok.push([s.outcome, v]); col.okSum += v; }
      });
      r.columns.push(col);
      maxStack = Math.max(maxStack, col.okSum + col.errSum);
      maxErr = Math.max(maxErr, col.errSum);
    }
    r.p99_ms_by_second.forEach(function (v) { if (v !== null) maxP99 = Math.max(maxP99, v); });
  });
  maxP99 = maxP99 || 1;

  // ---- Headline: the errors of every run, impossible to miss.
  var headline = html("div", { id: "headline" }, body);
  runs.forEach(function (r) {
    var e = r.report.errors, d = html("div", { class: "headline-run" }, headline);
    if (multi) html("span", { class: "run-name" }, d, r.name);
    html("span", { class: "count " + (e > 0 ? "bad" : "good"), "data-run": r.name || "", "data-errors": String(e) }, d, num(e));
    d.appendChild(document.createTextNode((e === 1 ? "error" : "errors") + " in " + num(r.report.requests) + " requests (" +
      percent(r.report.success_ratio, e) + " success)" + (r.report.interrupted ? ", interrupted" : "")));
  });
  if (data.comparison) table(body, data.comparison);

  var legend = html("div", { class: "legend" }, body);
  outcomes.forEach(function (n) {
    var span = html("span", {}, legend), i = html("i", {}, span);
    i.style.background = color[n];
    span.appendChild(document.createTextNode(n));
  });

  // ---- The charts, one above the other.
  var anyLanes = false;
  runs.forEach(function (r) { drawRun(r); if (r.lanes.length) anyLanes = true; });
  if (anyLanes) laneLegend(body);
  var note = html("p", { class: "note" }, body);
  note.textContent = "Top strip: errors per " + colMs + " ms on a scale of their own (any error shows). Bars: requests per " + colMs +
    " ms by scheduled time, stacked by outcome, errors on top. Line: p99 latency per second (right axis). Numbered lines: events listed under each chart." +
    (anyLanes ? " Lanes: one per replica, on the same time axis." : "");

  // ---- Each run's details.
  runs.forEach(function (r) { details(r); });
  body.setAttribute("data-rendered", "true");

  function drawRun(r) {
    var section = html("section", { class: "run", "data-run": r.name || "" }, body);
    if (multi) {
      var h = html("h2", {}, section, r.name + " ");
      html("small", { class: r.report.errors > 0 ? "bad" : "good" }, h, num(r.report.errors) + (r.report.errors === 1 ? " error" : " errors"));
    }
    var chart = html("div", { id: multi ? "chart-" + slug(r.name) : "chart", class: "chart" }, section);

    // Numbered badges for the markers, in rows so that none covers another.
    var BADGE = 8, rowsEnd = [], badges = [];
    r.markers.forEach(function (m, i) {
      var bx = x(m.at_s), row = 0;
      while (row < rowsEnd.length && bx - rowsEnd[row] < 2 * BADGE + 2) row++;
      rowsEnd[row] = bx;
      badges.push({ m: m, n: i + 1, x: bx, row: row });
    });
    var SH = 46, CH = multi || r.lanes.length ? 150 : 220, LH = 18;
    var top = 4 + rowsEnd.length * (2 * BADGE + 3);
    var stripTop = top, chartTop = stripTop + SH + 8, chartBottom = chartTop + CH;
    var lanesTop = chartBottom + (r.lanes.length ? 10 : 0), axisY = lanesTop + r.lanes.length * LH + 4, H = axisY + 18;
    var s = svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img" }, chart);
    var defs = svg("defs", {}, s);
    var hatch = svg("pattern", { id: "hatch-" + slug(r.name || "run"), width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, defs);
    svg("rect", { width: 6, height: 6, fill: "#ffe082", "fill-opacity": 0.45 }, hatch);
    svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#ffb300", "stroke-width": 3 }, hatch);

    // Before the load: the replicas' start-up, no requests.
    if (t0 < 0) {
      svg("rect", { x: px(x(t0)), y: stripTop, width: px(x(0) - x(t0)), height: chartBottom - stripTop, fill: "#f3f3f3" }, s);
      if (x(0) - x(t0) > 100) svg("text", { x: px(x(t0) + 4), y: chartBottom - 4 }, s, "before the load");
    }
    // Grid and time axis.
    var step = niceStep((t1 - t0) / 12);
    for (var t = Math.ceil(t0 / step) * step; t <= t1 + 1e-9; t += step) {
      svg("line", { x1: px(x(t)), y1: stripTop, x2: px(x(t)), y2: axisY, stroke: "#ececec" }, s);
      svg("text", { x: px(x(t)), y: axisY + 13, "text-anchor": "middle" }, s, String(+t.toFixed(3)) + "s");
    }

    // Error strip: errors per column on their own scale; a column with any error is at least 2 px tall.
    svg("rect", { x: L, y: stripTop, width: PW, height: SH, fill: "#fff5f5", stroke: "#f3c9c9" }, s);
    svg("text", { x: L - 6, y: stripTop + 10, "text-anchor": "end" }, s, num(maxErr));
    svg("text", { x: L - 6, y: stripTop + SH - 2, "text-anchor": "end" }, s, "errors");
    var errorsDrawn = 0, total = 0, drawn = 0;
    // Columns on whole pixels with crisp edges: fractional ones show seams (stripes on long runs).
    var stripBars = svg("g", { "shape-rendering": "crispEdges" }, s), bars = svg("g", { "shape-rendering": "crispEdges" }, s);
    r.columns.forEach(function (col, c) {
      if (!col.errSum) return;
      var cx = Math.round(x(c * colS)), cw = Math.max(Math.round(x((c + 1) * colS)) - cx, 1), y = stripTop + SH;
      var h = Math.max(2, SH * col.errSum / maxErr), scale = h / col.errSum;
      col.err.forEach(function (p) {
        var rect = svg("rect", { x: px(cx), y: px(y - p[1] * scale), width: px(cw), height: px(p[1] * scale), fill: color[p[0]],
                                 class: "error-bar", "data-outcome": p[0], "data-count": p[1] }, stripBars);
        hover(rect, p[1] + " × " + p[0] + " at " + sec(c * colS));
        y -= p[1] * scale;
        errorsDrawn += p[1];
      });
    });
    if (!errorsDrawn) svg("text", { x: L + PW / 2, y: stripTop + SH / 2 + 4, "text-anchor": "middle", fill: "#2e7d32" }, s, "no errors");

    // Requests: successes at the bottom, errors stacked above them in their strong colours.
    svg("line", { x1: L, y1: chartBottom, x2: L + PW, y2: chartBottom, stroke: "#999" }, s);
    svg("line", { x1: L, y1: chartTop, x2: L, y2: chartBottom, stroke: "#999" }, s);
    svg("text", { x: L - 6, y: chartTop + 10, "text-anchor": "end" }, s, num(maxStack));
    svg("text", { x: L - 6, y: chartBottom - 2, "text-anchor": "end" }, s, "req/" + colMs + "ms");
    svg("text", { x: L + PW + 4, y: chartTop + 10 }, s, +maxP99.toPrecision(3) + " ms");
    svg("text", { x: L + PW + 4, y: chartTop + 24 }, s, "p99");
    r.columns.forEach(function (col, c) {
      var cx = Math.round(x(c * colS)), cw = Math.max(Math.round(x((c + 1) * colS)) - cx, 1), y = chartBottom;
      col.ok.concat(col.err).forEach(function (p) {
        var h = CH * p[1] / maxStack;
        y -= h;
        svg("rect", { x: px(cx), y: px(y), width: px(cw), height: px(h), fill: color[p[0]], "data-outcome": p[0], "data-count": p[1] }, bars);
        drawn += p[1];
      });
    });
    var points = [];
    r.p99_ms_by_second.forEach(function (v, i) { if (v !== null) points.push(px(x(i + 0.5)) + "," + px(chartBottom - CH * v / maxP99)); });
    if (points.length) svg("polyline", { points: points.join(" "), fill: "none", stroke: "#1565c0", "stroke-width": 1.5 }, s);

    // Markers: a thin line through the strip and the chart, a numbered badge above, the text in the list below.
    badges.forEach(function (b) {
      svg("line", { x1: px(b.x), y1: stripTop, x2: px(b.x), y2: chartBottom, stroke: "#455a64", "stroke-dasharray": "3 3", "data-event": b.m.name }, s);
      var g = svg("g", { class: "badge", "data-marker": b.n, "data-at-s": b.m.at_s,
                         transform: "translate(" + px(b.x) + "," + (4 + BADGE + b.row * (2 * BADGE + 3)) + ")" }, s);
      svg("circle", { r: BADGE, fill: "#455a64" }, g);
      svg("text", { y: 3.5, "text-anchor": "middle" }, g, String(b.n));
      hover(g, b.n + ". " + b.m.name + " at " + sec(b.m.at_s) + (b.m.detail ? ": " + b.m.detail : ""));
    });

    r.lanes.forEach(function (lane, i) { drawLane(s, r, lane, lanesTop + i * LH, LH); });

    r.series.forEach(function (se) { var n = sum(se.counts); total += n; chart.setAttribute("data-count-" + slug(se.outcome), String(n)); });
    chart.setAttribute("data-total", String(total));
    chart.setAttribute("data-drawn", String(drawn));
    chart.setAttribute("data-errors-drawn", String(errorsDrawn));
    chart.setAttribute("data-buckets", String(r.buckets));
    chart.setAttribute("data-events", String(r.markers.length));
    chart.setAttribute("data-lanes", String(r.lanes.length));
    chart.setAttribute("data-t0", String(t0));
    chart.setAttribute("data-t1", String(t1));
    chart.setAttribute("data-plot-x", String(L));
    chart.setAttribute("data-plot-width", String(PW));

    if (r.markers.length) {
      var ol = html("ol", { class: "markers" }, section);
      r.markers.forEach(function (m) { html("li", {}, ol, sec(m.at_s) + "  " + m.name + (m.detail ? " — " + m.detail : "")); });
    }
  }

  function drawLane(s, r, lane, top, LH) {
    var marks = lane.marks.slice().sort(function (a, b) { return a.at_s - b.at_s; });
    function first(kind, from) {
      for (var i = 0; i < marks.length; i++) if (marks[i].kind === kind && marks[i].at_s >= (from === undefined ? -Infinity : from)) return marks[i];
      return null;
    }
    var started = first("started"), ready = first("ready"), terminating = first("terminating");
    var signal = first("signal"), exited = first("exited");
    var begin = started ? started.at_s : t0, end = exited ? exited.at_s : t1;
    var removed = terminating ? first("endpoint-removed", terminating.at_s) : null;
    var g = svg("g", { class: "lane", "data-lane": lane.name, "data-running-at-end": String(!exited) }, s);
    svg("text", { x: L - 6, y: top + LH / 2 + 4, "text-anchor": "end" }, g, lane.name);
    var mid = top + LH / 2, barY = top + 5, barH = LH - 9;

    function span(cls, from, to, y, h, fill, extra, tip) {
      if (to < from) return null;
      var a = { class: cls, "data-lane": lane.name, x: px(x(from)), y: px(y), width: px(Math.max(x(to) - x(from), 1)), height: px(h), fill: fill,
                "data-from-s": from, "data-to-s": to };
      for (var k in extra) a[k] = extra[k];
      var e = svg("rect", a, g);
      hover(e, lane.name + " " + tip + ": " + sec(from) + " → " + sec(to) + " (" + (to - from).toFixed(3) + " s)");
      return e;
    }
    // In the ingress: endpoint added → removed (a line along the top of the lane, drawn after the bar).
    var routed = [], open = null;
    marks.forEach(function (m) {
      if (m.kind === "endpoint-added" && open === null) open = m.at_s;
      if (m.kind === "endpoint-removed" && open !== null) { routed.push([open, m.at_s]); open = null; }
    });
    if (open !== null) routed.push([open, t1]);
    // Behind the bar, the race: deleted but still routed (terminating → endpoint removed) ...
    if (terminating) span("window", terminating.at_s, removed ? removed.at_s : t1, top, LH - 1, "url(#hatch-" + slug(r.name || "run") + ")",
                          { "data-window": "propagation" }, "terminating, still routed");
    // ... and the loss: the process gone while the ingress still sends it requests.
    if (exited) {
      routed.forEach(function (iv) {
        if (iv[1] > exited.at_s) span("window", Math.max(iv[0], exited.at_s), iv[1], top, LH - 1, "#d50000",
                                       { "data-window": "routed-after-exit", "fill-opacity": 0.6 }, "exited but still routed");
      });
    }
    // The process: starting → ready → terminating → signal → exit.
    span("phase", begin, ready ? ready.at_s : terminating ? terminating.at_s : end, barY, barH, PHASES.starting.color, { "data-phase": "starting" }, "starting");
    if (ready) span("phase", ready.at_s, terminating ? terminating.at_s : end, barY, barH, PHASES.serving.color, { "data-phase": "serving" }, "ready");
    if (terminating) span("phase", terminating.at_s, signal ? signal.at_s : end, barY, barH, PHASES.terminating.color, { "data-phase": "terminating" }, "terminating");
    if (signal) span("window", signal.at_s, end, barY, barH, PHASES["signal-to-exit"].color, { "data-window": "signal-to-exit" }, "stop signal → exit");
    if (!exited) svg("path", { d: "M" + px(x(t1)) + "," + barY + " l5," + barH / 2 + " l-5," + barH / 2 + "z", fill: "#888" }, g);
    routed.forEach(function (iv) { span("routed", iv[0], iv[1], top + 1, 3, "#1e88e5", {}, "in the ingress (routed)"); });

    marks.forEach(function (m) {
      var glyph = GLYPHS[m.kind] || { shape: "tick", color: "#9e9e9e" };
      var y = glyph.shape === "plus" || glyph.shape === "cross" ? top + 2.5 : mid;
      var mg = svg("g", { class: "mark", "data-lane": lane.name, "data-mark": m.kind, "data-at-s": m.at_s, "data-tag": m.tag || "",
                          transform: "translate(" + px(x(m.at_s)) + "," + px(y) + ")" }, g);
      drawGlyph(mg, glyph, m);
      hover(mg, m.label + " at " + sec(m.at_s) + (m.detail ? ": " + m.detail : ""));
      if (m.tag) svg("text", { class: "small", x: 6, y: 3 }, mg, m.tag);
    });
  }

  function drawGlyph(g, glyph, m) {
    var c = glyph.color;
    switch (glyph.shape) {
      case "tick": svg("line", { x1: 0, y1: -4, x2: 0, y2: 4, stroke: c, "stroke-width": 1.5 }, g); break;
      case "bar": svg("rect", { x: -1.25, y: -8, width: 2.5, height: 16, fill: c }, g); break;
      case "plus": svg("path", { d: "M-3.5,0h7M0,-3.5v7", stroke: c, "stroke-width": 2 }, g); break;
      case "cross": svg("path", { d: "M-3.5,-3.5l7,7M-3.5,3.5l7,-7", stroke: c, "stroke-width": 2 }, g); break;
      case "diamond": svg("path", { d: "M0,-5l4,5l-4,5l-4,-5z", fill: c }, g); break;
      case "down": svg("path", { d: "M-4.5,-5h9l-4.5,7z", fill: c }, g); break;
      case "dot": svg("circle", { r: 3.5, fill: m && m.tag && m.tag !== "0" ? "#d50000" : c, stroke: "#fff", "stroke-width": 1 }, g); break;
      case "square": svg("rect", { x: -4, y: -4, width: 8, height: 8, fill: c }, g); break;
    }
  }

  function laneLegend(parent) {
    var d = html("div", { class: "legend lanes-legend" }, parent);
    html("b", {}, d, "Lanes: ");
    Object.keys(PHASES).forEach(function (k) {
      var span = html("span", {}, d), i = html("i", {}, span);
      i.style.background = PHASES[k].color;
      span.appendChild(document.createTextNode(PHASES[k].text));
    });
    function swatch(draw, text) {
      var span = html("span", {}, d), s = svg("svg", { width: 16, height: 12 }, span);
      draw(s);
      span.appendChild(document.createTextNode(text));
    }
    swatch(function (s) { svg("rect", { y: 4, width: 16, height: 3, fill: "#1e88e5" }, s); }, "in the ingress");
    swatch(function (s) { svg("rect", { width: 16, height: 12, fill: "#ffe082", stroke: "#ffb300" }, s); }, "terminating, still routed");
    swatch(function (s) { svg("rect", { width: 16, height: 12, fill: "#d50000", "fill-opacity": 0.6 }, s); }, "exited, still routed: requests fail");
    ["endpoint-added", "endpoint-removed", "terminating", "prestop-done", "signal", "exited", "killed"].forEach(function (k) {
      swatch(function (s) { drawGlyph(svg("g", { transform: "translate(8,6)" }, s), GLYPHS[k]); }, GLYPHS[k].text);
    });
  }

  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= raw) return steps[i] * p;
    return 10 * p;
  }

  function table(parent, t) {
    var e = html("table", { id: t.id, class: t.columns ? "grid" : "pairs" }, parent);
    html("caption", {}, e, t.title);
    if (t.columns) {
      var head = e.createTHead().insertRow();
      t.columns.forEach(function (c) { html("th", {}, head, c); });
    }
    var tb = e.createTBody();
    t.rows.forEach(function (row) {
      var tr = tb.insertRow();
      row.forEach(function (cell, i) {
        var text = typeof cell === "string" ? cell : cell.text;
        var td = html(!t.columns && i === 0 ? "th" : "td", {}, tr, text);
        if (cell && cell.bad) td.className = "bad";
      });
    });
    return e;
  }

  function details(r) {
    var rep = r.report;
    html("h2", {}, body, multi ? r.name + ": details" : "Details");
    var box = html("div", { class: "details", "data-run": r.name || "" }, body);
    r.tables.forEach(function (t) { table(box, t); });

    function dist(d) { return ["mean " + d.mean, "p50 " + d.p50, "p90 " + d.p90, "p95 " + d.p95, "p99 " + d.p99, "max " + d.max].join(", ") + " ms"; }
    function pairs(o) { return Object.keys(o).map(function (k) { return k + ": " + o[k]; }).join(", ") || "-"; }
    var rows = [
      ["Requests", num(rep.requests) + " (rate " + rep.rate + "/s, throughput " + rep.throughput + "/s)"],
      ["Duration", rep.duration_s + " s attack, " + rep.wait_s + " s wait" + (rep.interrupted ? " (interrupted)" : "")],
      ["Success ratio", { text: percent(rep.success_ratio, rep.errors), bad: rep.errors > 0 }],
      ["Errors", { text: String(rep.errors), bad: rep.errors > 0 }],
      ["Status codes", pairs(rep.status_codes)],
      ["Error set", pairs(rep.error_set)],
      ["Latency", dist(rep.latency_ms)],
      ["Service time", dist(rep.service_time_ms)],
      ["Send lag", dist(rep.send_lag_ms)],
      ["Saturated / retries", rep.saturated + " / " + (rep.retries === null ? "not measured" : rep.retries)],
    ];
    (rep.thresholds || []).forEach(function (t) {
      rows.push(["Threshold " + t.name, { text: (t.passed ? "ok: " : "EXCEEDED: ") + t.actual + " (limit " + t.limit + ")", bad: !t.passed }]);
    });
    // Fields other tools added and no table above shows: as readable text, never lost.
    var shown = ["requests", "rate", "throughput", "duration_s", "success_ratio", "errors", "status_codes", "error_set", "latency_ms",
                 "target", "method", "target_rate", "target_duration_s", "started_utc", "interrupted", "wait_s", "saturated", "retries",
                 "bytes_in", "service_time_ms", "send_lag_ms", "events", "thresholds"].concat(r.covered);
    Object.keys(rep).forEach(function (k) { if (shown.indexOf(k) < 0) rows.push([k, plain(rep[k])]); });
    table(box, { id: "load" + (multi ? "-" + slug(r.name) : ""), title: "Load: " + rep.method + " " + rep.target, columns: null, rows: rows });

    if (r.events && r.events.length) {
      var d = html("details", {}, body);
      html("summary", {}, d, "Every event of " + (r.name || "the run") + " (" + r.events.length + ")");
      table(d, { id: "events" + (multi ? "-" + slug(r.name) : ""), title: "", columns: null,
                 rows: r.events.map(function (e) { return [sec(e.at_s), e.name + (e.detail ? " — " + e.detail : "")]; }) });
    }
  }

  function plain(v) {
    if (v === null || v === undefined) return "-";
    if (Array.isArray(v)) return v.map(plain).join("; ") || "-";
    if (typeof v === "object") return Object.keys(v).map(function (k) { return k + ": " + plain(v[k]); }).join(", ");
    return String(v);
  }
})();
