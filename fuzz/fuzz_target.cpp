// libFuzzer entry point (built with -DCONTEND_FUZZ=ON and clang).
#include "fuzz_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  contend::fuzz::run_report_on(data, size);
  return 0;
}
