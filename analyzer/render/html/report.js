// contend-report -f html: draws the flame graph (an icicle of lock wait by
// stack) and the time line chart from the rows the page embeds
// (#contend-data). Ours, compiled into contend-report; no libraries, no
// network.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("contend-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";

  function duration(ns) {
    var units = [[1e9, "s"], [1e6, "ms"], [1e3, "us"]];
    for (var i = 0; i < units.length; i++) {
      if (ns >= units[i][0]) {
        var v = ns / units[i][0];
        return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)) + " " + units[i][1];
      }
    }
    return Math.round(ns) + " ns";
  }
  function percent(x) { return (100 * x).toFixed(1) + "%"; }

  // ---- flame graph ----
  var inverted = false;
  var zoomed = null;

  function buildTree() {
    var root = { name: "all lock wait", value: 0, children: {}, depth: 0, parent: null };
    data.stacks.forEach(function (s) {
      var frames = s.f.map(function (i) { return data.frames[i]; });
      if (inverted) frames.reverse();
      var node = root;
      root.value += s.w;
      frames.forEach(function (name) {
        var child = node.children[name];
        if (!child) {
          child = { name: name, value: 0, children: {}, depth: node.depth + 1, parent: node };
          node.children[name] = child;
        }
        child.value += s.w;
        node = child;
      });
    });
    return root;
  }

  // x0 and width as fractions of the root; children ordered by name.
  function layout(node, x0) {
    node.x0 = x0;
    var x = x0;
    Object.keys(node.children).sort().forEach(function (k) {
      var child = node.children[k];
      layout(child, x);
      x += child.value / (node.value || 1) * node.width;
    });
  }
  function widths(node, width) {
    node.width = width;
    Object.keys(node.children).forEach(function (k) {
      var child = node.children[k];
      widths(child, width * child.value / (node.value || 1));
    });
  }

  function colour(name) {
    if (name.charAt(0) === "[") return "hsl(4, 70%, 62%)";
    var h = 0;
    for (var i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
    return "hsl(" + (22 + h % 34) + ", " + (62 + h % 20) + "%, " + (58 + h % 12) + "%)";
  }

  function isAncestor(node, of) {
    for (var n = of; n; n = n.parent) if (n === node) return true;
    return false;
  }

  function drawFlame() {
    var box = document.getElementById("flamegraph");
    if (!box) return;
    box.textContent = "";
    var root = buildTree();
    if (root.value === 0) {
      var p = document.createElement("p");
      p.className = "empty";
      p.textContent = "No waits with stacks to draw.";
      box.appendChild(p);
      return;
    }
    widths(root, 1);
    layout(root, 0);
    var focus = root;
    if (zoomed) {
      // The same frame path in the rebuilt tree, if it is still there.
      var path = [];
      for (var n = zoomed; n && n.parent; n = n.parent) path.unshift(n.name);
      path.forEach(function (name) { if (focus.children[name]) focus = focus.children[name]; });
    }
    var z0 = focus.x0, zw = focus.width;
    var maxDepth = 0;
    var frag = document.createDocumentFragment();
    (function visit(node) {
      var inside = node.x0 >= z0 - 1e-12 && node.x0 + node.width <= z0 + zw + 1e-12;
      var ancestor = isAncestor(node, focus) && node !== focus;
      if (!inside && !ancestor) return;
      var left = ancestor ? 0 : (node.x0 - z0) / zw;
      var width = ancestor ? 1 : node.width / zw;
      if (width < 0.001) return;
      maxDepth = Math.max(maxDepth, node.depth);
      var div = document.createElement("div");
      div.className = "frame" + (node.name.charAt(0) === "[" ? " lock-frame" : "");
      div.style.left = (100 * left) + "%";
      div.style.width = (100 * width) + "%";
      div.style.top = (node.depth * 19) + "px";
      div.style.background = ancestor ? "#e4e7ea" : colour(node.name);
      div.textContent = node.name;
      div.title = node.name + "\n" + duration(node.value) + " of lock wait, " + percent(node.value / root.value) +
                  " of all";
      div.addEventListener("click", function () {
        zoomed = node === root || node === focus ? (node.parent && node !== root ? node.parent : null) : node;
        if (node === root) zoomed = null;
        drawFlame();
      });
      frag.appendChild(div);
      Object.keys(node.children).forEach(function (k) { visit(node.children[k]); });
    })(root);
    box.style.height = ((maxDepth + 1) * 19 + 2) + "px";
    box.appendChild(frag);
  }

  var invert = document.getElementById("invert");
  if (invert) {
    invert.addEventListener("click", function () {
      inverted = !inverted;
      zoomed = null;
      invert.textContent = inverted ? "program entry at the top" : "lock at the top";
      drawFlame();
    });
  }

  // ---- time line ----
  var PHASE_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#e15759"];

  function svg(tag, attrs, parent) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(el);
    return el;
  }

  function drawTimeline() {
    var box = document.getElementById("timeline-chart");
    var t = data.timeline;
    if (!box || !t || !t.intervals.length) return;
    var W = 1000, H = 190, top = 24, bottom = 20, left = 44;
    var span = Math.max(1, t.to_ns - t.from_ns);
    var x = function (ns) { return left + (W - left - 4) * (ns - t.from_ns) / span; };
    var level = function (i) { return i.wait_ns / Math.max(1, i.end_ns - i.start_ns); };
    var max = 0;
    t.intervals.forEach(function (i) { max = Math.max(max, level(i)); });
    max = max || 1;
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + H, preserveAspectRatio: "none", role: "img",
                             "aria-label": "lock wait over time" }, null);
    var phaseColour = {};
    t.phases.forEach(function (p, k) {
      if (!(p.name in phaseColour)) phaseColour[p.name] = PHASE_COLOURS[Object.keys(phaseColour).length % 8];
      var band = svg("rect", { x: x(p.start_ns), y: 2, width: Math.max(1, x(p.end_ns) - x(p.start_ns)), height: 16,
                               fill: phaseColour[p.name], opacity: 0.25 }, chart);
      svg("title", {}, band).textContent = p.name + ": " + duration(p.start_ns) + " to " + duration(p.end_ns);
      var label = svg("text", { x: x(p.start_ns) + 3, y: 14 }, chart);
      label.textContent = x(p.end_ns) - x(p.start_ns) > 60 ? p.name : "";
      label.setAttribute("data-phase", String(k));
    });
    var plot = H - top - bottom;
    t.intervals.forEach(function (i) {
      var h = plot * level(i) / max;
      var bar = svg("rect", { "class": "bar", x: x(i.start_ns), y: top + plot - h,
                              width: Math.max(0.5, x(i.end_ns) - x(i.start_ns) - 0.5), height: Math.max(0, h),
                              fill: phaseColour[i.phase] || "#888" }, chart);
      svg("title", {}, bar).textContent =
        duration(i.start_ns) + " to " + duration(i.end_ns) + " (" + i.phase + ")\n" +
        "wait " + duration(i.wait_ns) + " (" + level(i).toFixed(2) + " threads waiting of " + i.threads.toFixed(1) +
        ")\ncontended " + i.contended + " of " + i.acquisitions + " acquisitions" +
        (i.top_lock ? "\ntop lock: " + i.top_lock : "");
    });
    svg("line", { x1: left, y1: top + plot, x2: W - 4, y2: top + plot, stroke: "#999" }, chart);
    var axis = [[left, H - 5, duration(t.from_ns), "start"], [W - 4, H - 5, duration(t.to_ns), "end"],
                [left - 4, top + 9, max.toFixed(2), "end"], [left - 4, top + plot, "0", "end"]];
    axis.forEach(function (a) {
      svg("text", { x: a[0], y: a[1], "text-anchor": a[3] }, chart).textContent = a[2];
    });
    box.appendChild(chart);
  }

  drawFlame();
  drawTimeline();
})();
