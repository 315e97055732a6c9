#include "core/base/config.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace contend::preload {
namespace {

std::map<std::string, std::string> g_env;
const char* fake_env(const char* name) {
  auto it = g_env.find(name);
  return it == g_env.end() ? nullptr : it->second.c_str();
}

TEST(Config, DefaultsWithoutEnvironment) {
  g_env.clear();
  ConfigResult r = parse_config(&fake_env);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.config.output, "trace.bin");
  EXPECT_FALSE(r.config.stats);
  EXPECT_EQ(r.config.ring_kib, 512u);
  EXPECT_EQ(r.config.flush_ms, 20u);
}

TEST(Config, ValidValuesAreTaken) {
  g_env = {{"CONTEND_OUTPUT", "/tmp/x.%p"},
           {"CONTEND_STATS", "1"},
           {"CONTEND_RING_KB", "1024"},
           {"CONTEND_FLUSH_MS", "5"},
           {"CONTEND_CLOCK", "monotonic"}};
  ConfigResult r = parse_config(&fake_env);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.config.output, "/tmp/x.%p");
  EXPECT_TRUE(r.config.stats);
  EXPECT_EQ(r.config.ring_kib, 1024u);
  EXPECT_EQ(r.config.flush_ms, 5u);
  EXPECT_EQ(r.config.clock, "monotonic");
}

TEST(Config, BadValuesWarnOnceEachAndKeepDefaults) {
  g_env = {{"CONTEND_STATS", "maybe"},
           {"CONTEND_RING_KB", "1000"},  // not a power of two
           {"CONTEND_FLUSH_MS", "12ms"},
           {"CONTEND_CLOCK", "sundial"},
           {"CONTEND_OUTPUT", ""}};
  ConfigResult r = parse_config(&fake_env);
  ASSERT_EQ(r.warnings.size(), 5u);
  EXPECT_EQ(r.warnings[0], "CONTEND_OUTPUT='' is not a path; using trace.bin");
  EXPECT_EQ(r.warnings[1], "CONTEND_STATS='maybe' is not a boolean (1/0); using 0");
  EXPECT_EQ(r.warnings[2], "CONTEND_RING_KB='1000' is not a power of two in [16, 1048576]; using 512");
  EXPECT_EQ(r.warnings[3], "CONTEND_FLUSH_MS='12ms' is not an integer in [0, 1000]; using 20");
  EXPECT_EQ(r.warnings[4], "CONTEND_CLOCK='sundial' is not one of auto, tsc, monotonic; using auto");
  EXPECT_EQ(r.config.ring_kib, 512u);
  EXPECT_EQ(r.config.flush_ms, 20u);
  EXPECT_EQ(r.config.output, "trace.bin");
}

}  // namespace
}  // namespace contend::preload
