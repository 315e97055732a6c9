// Replays the fuzzing seeds and every input that once broke the analyzer
// (fuzz/regressions) through the same function the libFuzzer target runs:
// each must end in a report or a TraceError, never a crash (the ASan and
// UBSan builds of this test catch what a plain build would not).
#include "fuzz_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace {

std::vector<std::filesystem::path> inputs(const char* dir) {
  std::vector<std::filesystem::path> files;
  std::filesystem::path root = std::filesystem::path(CONTEND_FUZZ_DIR) / dir;
  if (!std::filesystem::exists(root)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(root))
    if (entry.is_regular_file()) files.push_back(entry.path());
  return files;
}

void replay(const std::vector<std::filesystem::path>& files) {
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    contend::fuzz::run_report_on(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
}

TEST(FuzzInputs, SeedsRunThroughTheWholeReport) {
  auto seeds = inputs("seeds");
  ASSERT_GE(seeds.size(), 8u);
  replay(seeds);
}

TEST(FuzzInputs, RegressionsRunThroughTheWholeReport) {
  replay(inputs("regressions"));
}

}  // namespace
