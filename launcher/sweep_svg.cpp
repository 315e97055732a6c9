#include "sweep_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace contend::launch {

namespace {

constexpr double kWidth = 720, kLeft = 70, kRight = 690;
constexpr double kTopY0 = 60, kTopY1 = 250;   // speedup panel
constexpr double kLowY0 = 300, kLowY1 = 440;  // waiting panel
constexpr double kHeight = 500;

std::string escaped(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A "nice" axis top: 1, 2 or 5 times a power of ten, at least `v`.
double axis_top(double v) {
  if (v <= 0) return 1;
  double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= v * 0.999) return m * p;
  return 10 * p;
}

struct Panel {
  double y0, y1, top;
  double y(double v) const { return y1 - (y1 - y0) * std::clamp(v / top, 0.0, 1.05); }
};

std::string text(double x, double y, const std::string& s, const char* anchor = "middle", int size = 11,
                 const char* color = "#333") {
  return fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{}\">{}</text>\n", x, y,
      size, anchor, color, escaped(s));
}

std::string axes(const Panel& p, const char* label, const char* unit) {
  std::string out = fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#999\" "
      "stroke-width=\"1\"/>\n",
      kLeft, p.y0, kRight - kLeft, p.y1 - p.y0);
  for (int i = 0; i <= 4; ++i) {
    double v = p.top * i / 4;
    double y = p.y(v);
    out += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#e0e0e0\"/>\n", kLeft,
                       y, kRight, y);
    out += text(kLeft - 6, y + 4, fmt::format("{:g}{}", v, unit), "end", 10);
  }
  out += fmt::format(
      "<text x=\"16\" y=\"{:.1f}\" font-size=\"11\" fill=\"#333\" text-anchor=\"middle\" "
      "transform=\"rotate(-90 16 {:.1f})\">{}</text>\n",
      (p.y0 + p.y1) / 2, (p.y0 + p.y1) / 2, escaped(label));
  return out;
}

std::string polyline(const std::vector<std::pair<double, double>>& pts, const char* color, const char* dash) {
  std::string points;
  for (const auto& [x, y] : pts) points += fmt::format("{:.1f},{:.1f} ", x, y);
  return fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", points,
                     color, *dash != '\0' ? fmt::format(" stroke-dasharray=\"{}\"", dash) : std::string());
}

std::string dots(const std::vector<std::pair<double, double>>& pts, const char* color) {
  std::string out;
  for (const auto& [x, y] : pts)
    out += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\"/>\n", x, y, color);
  return out;
}

}  // namespace

std::string sweep_svg(const SweepResult& r) {
  const std::vector<SweepPoint>& points = r.points;
  size_t n = points.size();
  auto x = [n](size_t i) {
    double at = static_cast<double>(i), last = static_cast<double>(n) - 1;
    return n < 2 ? (kLeft + kRight) / 2 : kLeft + 30 + (kRight - kLeft - 60) * at / last;
  };
  double first = n == 0 ? 1 : points.front().threads;
  double most = 1;
  double waiting = 1;
  for (const SweepPoint& p : points) {
    most = std::max({most, p.speedup, p.threads / first});
    waiting = std::max(waiting, p.contention_pct);
  }
  Panel top{kTopY0, kTopY1, axis_top(most)};
  Panel low{kLowY0, kLowY1, axis_top(waiting)};

  std::string command;
  for (const std::string& w : r.options->command) command += (command.empty() ? "" : " ") + w;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      kWidth, kHeight);
  out += text(kWidth / 2, 22, "contend sweep: " + command, "middle", 13, "#111");
  out += text(kWidth / 2, 40,
              r.verdict.from_throughput
                  ? "speedup of throughput (dots; whiskers: range over runs) and ideal (dashed)"
                  : "speedup of wall time (dots; whiskers: range over runs) and ideal (dashed)",
              "middle", 10);
  out += axes(top, "speedup", "x");
  out += axes(low, "% of thread time waiting", "%");

  std::vector<std::pair<double, double>> speedup, ideal, wait, lock;
  for (size_t i = 0; i < n; ++i) {
    const SweepPoint& p = points[i];
    speedup.emplace_back(x(i), top.y(p.speedup));
    ideal.emplace_back(x(i), top.y(p.threads / first));
    wait.emplace_back(x(i), low.y(p.contention_pct));
    // Whiskers: the range of the runs, as speedups.
    const Spread& s = r.verdict.from_throughput ? p.throughput : p.wall_ns;
    if (p.runs > 1 && s.median > 0) {
      double lo = p.speedup * (r.verdict.from_throughput ? s.min / s.median : s.median / s.max);
      double hi =
          p.speedup * (r.verdict.from_throughput ? s.max / s.median : s.median / std::max(s.min, 1.0));
      out += fmt::format(
          "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#1f77b4\"/>\n", x(i),
          top.y(lo), top.y(hi));
    }
    if (r.verdict.fastest.has_value()) {
      double pct = 0;
      for (const SweepLock& l : p.locks)
        if (l.name == r.verdict.fastest->name && l.kind == r.verdict.fastest->kind) pct = l.thread_time_pct;
      lock.emplace_back(x(i), low.y(pct));
    }
    out += text(x(i), kLowY1 + 16, fmt::format("{}", p.threads));
    out += text(x(i), top.y(p.speedup) - 8, fmt::format("{:.2f}x", p.speedup), "middle", 10, "#1f77b4");
    out += text(x(i), low.y(p.contention_pct) - 8, fmt::format("{:.1f}%", p.contention_pct), "middle", 10,
                "#d62728");
  }
  out += text(kWidth / 2, kLowY1 + 34, "threads");
  out += polyline(ideal, "#999", "5,4");
  out += polyline(speedup, "#1f77b4", "");
  out += dots(speedup, "#1f77b4");
  if (!lock.empty()) out += polyline(lock, "#ff7f0e", "4,3");
  out += polyline(wait, "#d62728", "");
  out += dots(wait, "#d62728");
  if (n > 1 && !r.verdict.still_rising) {
    double sx = x(r.verdict.stop);
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" stroke=\"#2ca02c\" "
        "stroke-dasharray=\"2,3\"/>\n",
        sx, kTopY0, kLowY1);
    out += text(sx + 4, kTopY0 + 14, "scaling stops", "start", 10, "#2ca02c");
  }
  // Legend of the lower panel.
  out += text(kLeft + 8, kLowY0 + 14, "all locks", "start", 10, "#d62728");
  if (r.verdict.fastest.has_value())
    out +=
        text(kLeft + 70, kLowY0 + 14, "fastest-growing: " + r.verdict.fastest->name, "start", 10, "#ff7f0e");
  return out + "</svg>\n";
}

}  // namespace contend::launch
