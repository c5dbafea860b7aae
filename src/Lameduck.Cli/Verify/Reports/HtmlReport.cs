using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lameduck.Cli.Verify.Attack;
using Lameduck.Cli.Verify.Metrics;

namespace Lameduck.Cli.Verify.Reports;

/// <summary>
/// One self-contained HTML file (inline script and SVG, no network fetch): the summary table and a timeline —
/// requests per 100 ms stacked by outcome (2xx, 3xx, 4xx, each 5xx code, each transport error class),
/// p99 latency per second as a line, and a vertical marker per event. The script writes what it drew into
/// <c>data-*</c> attributes of <c>#chart</c> (total and per-outcome counts) so a headless browser test can
/// check the chart against the run.
/// </summary>
/// <example>
/// <code>
/// using var file = File.CreateText("report.html");
/// HtmlReport.Write(result, file, JsonReport.ToJson(result));
/// </code>
/// </example>
public static class HtmlReport
{
    /// <summary>Writes the page; <paramref name="report"/> is the JSON report shown as the summary (with any extra fields).</summary>
    public static void Write(LoadResult result, TextWriter output, JsonObject report)
    {
        var timeline = result.Summary.Timeline;
        var series = new JsonObject();
        foreach (var (outcome, counts) in timeline.CountsByOutcome()) series[outcome] = new JsonArray([.. counts.Select(c => (JsonNode)c)]);
        var data = new JsonObject
        {
            ["bucket_ms"] = Timeline.BucketUs / 1000,
            ["series"] = series,
            ["p99_ms_by_second"] = new JsonArray([.. timeline.P99MsBySecond().Select(v => (JsonNode?)v)]),
            ["events"] = JsonReport.Events(result.Events),
            ["report"] = report.DeepClone(),
        };
        // The default encoder escapes <, > and &, so the JSON cannot close the script element early.
        var json = data.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
        var title = WebUtility.HtmlEncode($"lameduck verify: {result.Run.Method} {result.Run.Target}");
        output.Write(Template.Replace("{{TITLE}}", title, StringComparison.Ordinal).Replace("{{DATA}}", json, StringComparison.Ordinal));
    }

    private const string Template = """
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{TITLE}}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
  h1 { font-size: 18px; }
  table { border-collapse: collapse; margin: 12px 0; }
  td, th { padding: 2px 12px 2px 0; text-align: left; vertical-align: top; }
  th { font-weight: 600; color: #555; }
  .legend span { display: inline-block; margin-right: 14px; }
  .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
  svg text { font: 11px system-ui, sans-serif; fill: #444; }
  .bad { color: #b00020; font-weight: 600; }
</style>
</head>
<body>
<h1>{{TITLE}}</h1>
<table id="summary"></table>
<div class="legend" id="legend"></div>
<div id="chart"></div>
<p>Bars: requests per <span id="bucket"></span> ms by scheduled time, stacked by outcome. Line: p99 latency per second (right axis). Vertical lines: events.</p>
<table id="events"></table>
<script type="application/json" id="lameduck-data">{{DATA}}</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("lameduck-data").textContent);
  var r = data.report, NS = "http://www.w3.org/2000/svg";
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function row(table, label, value, bad) {
    var tr = table.insertRow(), th = document.createElement("th"), td = tr.insertCell();
    th.textContent = label; tr.insertBefore(th, td); td.textContent = value;
    if (bad) td.className = "bad";
  }
  function dist(d) { return ["mean " + d.mean, "p50 " + d.p50, "p90 " + d.p90, "p95 " + d.p95, "p99 " + d.p99, "max " + d.max].join(", ") + " ms"; }
  function pairs(o) { return Object.keys(o).map(function (k) { return k + ": " + o[k]; }).join(", ") || "-"; }

  var s = document.getElementById("summary");
  row(s, "Requests", r.requests + " (rate " + r.rate + "/s, throughput " + r.throughput + "/s)");
  row(s, "Duration", r.duration_s + " s attack, " + r.wait_s + " s wait" + (r.interrupted ? " (interrupted)" : ""));
  row(s, "Success ratio", (r.success_ratio * 100).toFixed(2) + " %", r.errors > 0);
  row(s, "Errors", String(r.errors), r.errors > 0);
  row(s, "Status codes", pairs(r.status_codes));
  row(s, "Error set", pairs(r.error_set));
  row(s, "Latency", dist(r.latency_ms));
  row(s, "Service time", dist(r.service_time_ms));
  row(s, "Send lag", dist(r.send_lag_ms));
  row(s, "Saturated / retries", r.saturated + " / " + (r.retries === null ? "not measured" : r.retries));
  (r.thresholds || []).forEach(function (t) { row(s, "Threshold " + t.name, (t.passed ? "ok: " : "EXCEEDED: ") + t.actual + " (limit " + t.limit + ")", !t.passed); });
  // Fields added by other tools (the lab's app, ingress, replicas, rollout_s, terminations...) are shown as they are.
  var shown = ["requests", "rate", "throughput", "duration_s", "success_ratio", "errors", "status_codes", "error_set", "latency_ms",
               "target", "method", "target_rate", "target_duration_s", "started_utc", "interrupted", "wait_s", "saturated", "retries",
               "bytes_in", "service_time_ms", "send_lag_ms", "events", "thresholds"];
  Object.keys(r).forEach(function (k) { if (shown.indexOf(k) < 0) row(s, k, typeof r[k] === "object" ? JSON.stringify(r[k]) : String(r[k])); });

  var names = Object.keys(data.series), buckets = 0;
  names.forEach(function (n) { buckets = Math.max(buckets, data.series[n].length); });
  var palette = { "2xx": "#2e7d32", "3xx": "#66bb6a", "4xx": "#f9a825", "connection refused": "#6a1b9a",
                  "connection reset": "#ad1457", "timeout": "#4e342e", "other": "#546e7a", "saturated": "#9e9e9e" };
  var reds = ["#c62828", "#e53935", "#ef5350", "#b71c1c", "#ff7043", "#d84315"], ri = 0;
  var color = {};
  names.forEach(function (n) { color[n] = palette[n] || reds[ri++ % reds.length]; });

  // Count what is drawn, from the same arrays the bars are drawn from.
  var chart = document.getElementById("chart"), total = 0;
  names.forEach(function (n) {
    var sum = data.series[n].reduce(function (a, b) { return a + b; }, 0);
    total += sum;
    chart.setAttribute("data-count-" + n.replace(/[^a-z0-9]+/gi, "-"), String(sum));
  });
  chart.setAttribute("data-total", String(total));
  chart.setAttribute("data-buckets", String(buckets));
  chart.setAttribute("data-events", String(data.events.length));
  document.getElementById("bucket").textContent = data.bucket_ms;

  var legend = document.getElementById("legend");
  names.forEach(function (n) {
    var span = document.createElement("span"), i = document.createElement("i");
    i.style.background = color[n]; span.appendChild(i); span.appendChild(document.createTextNode(n));
    legend.appendChild(span);
  });

  // At most ~1200 columns: long runs merge adjacent 100 ms buckets.
  var W = 1100, H = 320, L = 50, R = 60, T = 20, B = 30;
  var merge = Math.max(1, Math.ceil(buckets / 1200)), cols = Math.ceil(buckets / merge);
  var stacks = [], maxStack = 1;
  for (var c = 0; c < cols; c++) {
    var stack = {}, height = 0;
    names.forEach(function (n) {
      var v = 0;
      for (var b = c * merge; b < Math.min(buckets, (c + 1) * merge); b++) v += data.series[n][b] || 0;
      stack[n] = v; height += v;
    });
    stacks.push(stack); maxStack = Math.max(maxStack, height);
  }
  var p99 = data.p99_ms_by_second, maxP99 = 0;
  p99.forEach(function (v) { if (v !== null) maxP99 = Math.max(maxP99, v); });
  maxP99 = maxP99 || 1;
  var seconds = buckets * data.bucket_ms / 1000 || 1;
  var svg = el("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img" }, chart);
  var pw = W - L - R, ph = H - T - B, cw = pw / Math.max(1, cols);
  function x(sec) { return L + pw * sec / seconds; }
  el("line", { x1: L, y1: T + ph, x2: L + pw, y2: T + ph, stroke: "#999" }, svg);
  el("line", { x1: L, y1: T, x2: L, y2: T + ph, stroke: "#999" }, svg);
  el("text", { x: 4, y: T + 10 }, svg).textContent = String(maxStack);
  el("text", { x: L + pw + 4, y: T + 10 }, svg).textContent = maxP99 + " ms";
  for (var t = 0; t <= 10; t++) {
    el("text", { x: x(seconds * t / 10) - 10, y: H - 8 }, svg).textContent = (seconds * t / 10).toFixed(1) + "s";
  }
  var drawn = 0;
  stacks.forEach(function (stack, c) {
    var y = T + ph;
    names.forEach(function (n) {
      if (!stack[n]) return;
      var h = ph * stack[n] / maxStack;
      y -= h;
      el("rect", { x: L + c * cw, y: y, width: Math.max(cw, 0.5), height: h, fill: color[n], "data-outcome": n, "data-count": stack[n] }, svg);
      drawn += stack[n];
    });
  });
  chart.setAttribute("data-drawn", String(drawn));
  var points = [];
  p99.forEach(function (v, i) { if (v !== null) points.push(x(i + 0.5).toFixed(1) + "," + (T + ph - ph * v / maxP99).toFixed(1)); });
  if (points.length) el("polyline", { points: points.join(" "), fill: "none", stroke: "#1565c0", "stroke-width": 2 }, svg);
  var ev = document.getElementById("events");
  data.events.forEach(function (e) {
    var ex = x(e.at_s);
    el("line", { x1: ex, y1: T, x2: ex, y2: T + ph, stroke: "#000", "stroke-dasharray": "4 3", "data-event": e.name }, svg);
    el("text", { x: ex + 3, y: T + 12, transform: "rotate(90 " + (ex + 3) + " " + (T + 12) + ")" }, svg).textContent = e.name;
    row(ev, e.at_s.toFixed(3) + " s", e.name + (e.detail ? " — " + e.detail : ""));
  });
  document.body.setAttribute("data-rendered", "true");
})();
</script>
</body>
</html>
""";
}
