#include "sweep_reading.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace contend::launch {

namespace {

constexpr std::string_view kThreads = "{threads}";

// "100000*{threads}" with the count put in: a product of whole numbers.
std::optional<uint64_t> product(const std::string& expression, unsigned threads) {
  uint64_t out = 1;
  size_t at = 0;
  while (at <= expression.size()) {
    size_t star = expression.find('*', at);
    std::string term = expression.substr(at, star == std::string::npos ? std::string::npos : star - at);
    uint64_t v = 0;
    if (term == kThreads) {
      v = threads;
    } else {
      char* end = nullptr;
      v = std::strtoull(term.c_str(), &end, 10);
      if (term.empty() || *end != '\0' || !std::isdigit(static_cast<unsigned char>(term[0])))
        return std::nullopt;
    }
    out *= v;
    if (star == std::string::npos) break;
    at = star + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string> with_threads(const std::vector<std::string>& words, unsigned threads) {
  std::vector<std::string> out;
  std::string count = fmt::format("{}", threads);
  for (std::string w : words) {
    for (size_t at = w.find(kThreads); at != std::string::npos; at = w.find(kThreads, at + count.size()))
      w.replace(at, kThreads.size(), count);
    out.push_back(std::move(w));
  }
  return out;
}

std::regex compile_pattern(const std::string& option, const std::string& text) {
  try {
    return std::regex(text, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw std::invalid_argument(fmt::format("{}: '{}' is not a valid pattern ({})", option, text, e.what()));
  }
}

OpsSpec::OpsSpec(const std::string& text) : given_(!text.empty()) {
  if (!given_) return;
  if (product(text, 1).has_value()) {
    expression_ = text;
    if (product(text, 1).value() == 0) throw std::invalid_argument("--ops: the count must be positive");
  } else {
    pattern_ = compile_pattern("--ops", text);
  }
}

uint64_t OpsSpec::operations(unsigned threads, const std::string& output) const {
  if (!given_) return 0;
  if (!expression_.empty()) return product(expression_, threads).value_or(0);
  std::optional<double> v = number_in_output(output, *pattern_);
  return v.has_value() && *v > 0 ? static_cast<uint64_t>(std::llround(*v)) : 0;
}

std::optional<double> number_in_output(const std::string& output, const std::regex& pattern) {
  std::string found;
  for (auto it = std::sregex_iterator(output.begin(), output.end(), pattern); it != std::sregex_iterator();
       ++it)
    found = it->size() > 1 && (*it)[1].matched ? (*it)[1].str() : it->str();
  // The first number in the match, separators dropped, then an SI suffix.
  size_t start = found.find_first_of("0123456789");
  if (start == std::string::npos) return std::nullopt;
  std::string digits;
  size_t at = start;
  for (; at < found.size(); ++at) {
    char c = found[at];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E')
      digits += c;
    else if (c != ',' && c != '_')
      break;
  }
  double v = std::strtod(digits.c_str(), nullptr);
  while (at < found.size() && found[at] == ' ') ++at;
  if (at < found.size()) {
    switch (found[at]) {
      case 'k':
      case 'K': v *= 1e3; break;
      case 'M': v *= 1e6; break;
      case 'G': v *= 1e9; break;
      default: break;
    }
  }
  return v;
}

}  // namespace contend::launch
