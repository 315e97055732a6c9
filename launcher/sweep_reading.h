// What a sweep reads from the command line and from a run's output: the
// thread count put into the program's words, the operation count, and a
// number a pattern finds in the output (throughput, operations).
#pragma once

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace contend::launch {

// Every "{threads}" in every word replaced by `threads`.
std::vector<std::string> with_threads(const std::vector<std::string>& words, unsigned threads);

// --ops: a count ("400000"), a product with the thread count
// ("100000*{threads}"), or a pattern to read from the output.
class OpsSpec {
 public:
  OpsSpec() = default;
  // Throws std::invalid_argument for a pattern that does not compile.
  explicit OpsSpec(const std::string& text);

  bool given() const { return given_; }
  // The operations of a run at `threads` with this output; 0 when the
  // pattern finds nothing.
  uint64_t operations(unsigned threads, const std::string& output) const;

 private:
  bool given_ = false;
  std::string expression_;  // "" when a pattern
  std::optional<std::regex> pattern_;
};

// The number in the last match of `pattern` in `output` (its first group
// when it has one): "1,234,567.5" and "2.5M" read as 1234567.5 and 2.5e6.
std::optional<double> number_in_output(const std::string& output, const std::regex& pattern);

// Throws std::invalid_argument naming the option when `text` is not a valid
// pattern (ECMAScript syntax).
std::regex compile_pattern(const std::string& option, const std::string& text);

}  // namespace contend::launch
