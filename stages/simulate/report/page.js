// Draws the report's charts with uPlot from the JSON block. Everything the
// page shows comes from that block; nothing is fetched.
(function () {
  "use strict";

  var r = JSON.parse(document.getElementById("report-data").textContent);
  var series = r.series || [];
  var stepH = r.step_seconds / 3600;
  var price = r.group.price_per_hour;
  var body = document.body;
  var drawn = 0;

  function fmt(v, d) { return v == null ? "-" : Number(v).toFixed(d); }

  function text(el, s) { el.appendChild(document.createTextNode(s)); return el; }

  function cell(tr, tag, s, cls) {
    var c = document.createElement(tag);
    if (cls) c.className = cls;
    tr.appendChild(text(c, s));
  }

  // Header line: what was analysed.
  text(document.getElementById("meta"),
    series.length + " steps of " + r.step_seconds + " s from " + r.start +
    " (" + r.filled_steps + " filled), model " + r.model + "; group of " +
    r.group.instances + " \u00d7 " + r.group.instance_type + " (" + r.group.provider +
    " " + r.group.region + ") at $" + fmt(price, 4) + "/h, target " +
    fmt(100 * r.group.target_utilization, 0) + " %");

  var xs = series.map(function (s) { return Date.parse(s.ts) / 1000; });
  function col(f) { return series.map(f); }

  // The forecast peak of each scaling decision, held over the steps of its
  // horizon, in CPU percent of the measured group (demand = instances x
  // CPU / 100).
  var peak = xs.map(function () { return null; });
  var horizon = 0;
  var index = {};
  xs.forEach(function (x, i) { index[x] = i; });
  (r.decisions || []).forEach(function (d) {
    var i = index[Date.parse(d.ts) / 1000];
    if (i == null) return;
    horizon = d.horizon_steps;
    for (var h = 1; h <= d.horizon_steps && i + h < peak.length; h++) {
      peak[i + h] = 100 * d.forecast_peak / r.group.instances;
    }
  });

  function width(el) { return Math.max(400, el.clientWidth || 900); }

  function chart(id, seriesOpts, data, yLabel) {
    var el = document.getElementById(id);
    var counted = false;
    var opts = {
      width: width(el),
      height: 300,
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: true } },
      // Times are shown in UTC, as the report's own timestamps are.
      tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); },
      axes: [{}, { label: yLabel, size: 60 }],
      series: [{ label: "time (UTC)" }].concat(seriesOpts),
      hooks: {
        // The first draw has painted the canvas: count the chart then.
        draw: [function () {
          if (counted) return;
          counted = true;
          drawn++;
          body.setAttribute("data-rendered", String(drawn));
        }]
      }
    };
    var u = new uPlot(opts, [xs].concat(data), el);
    window.addEventListener("resize", function () {
      u.setSize({ width: width(el), height: 300 });
    });
    return u;
  }

  var stepped = uPlot.paths.stepped({ align: 1 });

  chart("chart-cpu", [
    { label: "CPU %", stroke: "#1f77b4", width: 1.5 },
    { label: "forecast (1 step ahead) %", stroke: "#ff7f0e", width: 1, dash: [4, 3] },
    { label: "forecast peak over horizon (" + horizon + " steps) %", stroke: "#9467bd", width: 2,
      paths: stepped, spanGaps: false },
    { label: "anomaly", stroke: "#d62728", fill: "#d62728", paths: function () { return null; },
      points: { show: true, size: 8, stroke: "#d62728", fill: "#d62728" } }
  ], [
    col(function (s) { return s.cpu; }),
    col(function (s) { return s.predicted_cpu; }),
    peak,
    col(function (s) { return s.anomalous ? s.cpu : null; })
  ], "CPU %");

  var policies = ["static", "reactive", "predictive", "ideal"];
  var colors = { static: "#7f7f7f", reactive: "#2ca02c", predictive: "#1f77b4", ideal: "#bcbd22" };

  chart("chart-instances", policies.map(function (p) {
    return { label: p, stroke: colors[p], width: p === "ideal" ? 1 : 2, paths: stepped,
      dash: p === "ideal" ? [2, 3] : undefined };
  }).concat([{ label: "demand", stroke: "#d62728", width: 1 }]),
  policies.map(function (p) {
    return col(function (s) { return s["running_" + p]; });
  }).concat([col(function (s) { return s.demand; })]), "instances");

  chart("chart-cost", policies.map(function (p) {
    return { label: p, stroke: colors[p], width: 2, value: function (u, v) { return v == null ? "-" : "$" + v.toFixed(2); } };
  }), policies.map(function (p) {
    var sum = 0;
    return col(function (s) { sum += s["running_" + p] * stepH * price; return sum; });
  }), "USD");

  // Summary table: one row per policy, savings against static.
  var table = document.getElementById("summary");
  var head = document.createElement("tr");
  ["policy", "instance-hours", "cost $", "saved vs static", "under-provisioned steps",
    "strained steps", "scale-outs", "scale-ins"].forEach(function (h) { cell(head, "th", h); });
  table.appendChild(head);
  var static_ = (r.simulation || []).filter(function (o) { return o.policy === "static"; })[0];
  (r.simulation || []).forEach(function (o) {
    var tr = document.createElement("tr");
    cell(tr, "td", o.policy);
    cell(tr, "td", fmt(o.instance_hours, 1));
    cell(tr, "td", fmt(o.cost_usd, 2));
    cell(tr, "td", static_ && static_.cost_usd > 0
      ? "$" + fmt(static_.cost_usd - o.cost_usd, 2) + " (" +
        fmt(100 * (1 - o.cost_usd / static_.cost_usd), 1) + " %)" : "-");
    cell(tr, "td", o.under_provisioned_steps + " (" + fmt(o.under_provisioned_pct, 2) + " %)");
    cell(tr, "td", o.strained_steps + " (" + fmt(o.strained_pct, 2) + " %)");
    cell(tr, "td", String(o.scale_outs));
    cell(tr, "td", String(o.scale_ins));
    table.appendChild(tr);
  });

  var ul = document.getElementById("acceptance");
  var acc = r.acceptance || { checks: [] };
  text(ul.appendChild(document.createElement("li")), "Acceptance: " + (acc.met ? "met" : "not met") +
    "; " + (r.anomalies || []).length + " anomalies, " + (r.opportunities || []).length +
    " missed scale-down opportunities on the history");
  (acc.checks || []).forEach(function (c) {
    var li = document.createElement("li");
    if (!c.met) li.className = "miss";
    text(li, (c.met ? "ok: " : "MISS: ") + c.name.replace(/_/g, " ") + ": " + c.detail);
    ul.appendChild(li);
  });
})();
