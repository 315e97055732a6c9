// The fixture of tests that drive the recorder core in-process.
#pragma once

#include "test_session.h"

#include <gtest/gtest.h>

#include <string>

namespace contend::testing {

// A test with a session of its own on a temporary trace (the default test
// configuration unless SetUp is given another); finish() stops the session
// and reads its report.
class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override { start_session(test_config(path)); }
  void TearDown() override { preload::session::stop(format::FooterReason::kExit); }

  analyze::Report finish() {
    preload::session::stop(format::FooterReason::kExit);
    return read_report(path);
  }

  TempDir dir;
  std::string path = dir.file("test.trace");
};

}  // namespace contend::testing
