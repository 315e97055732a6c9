// Output text is valid UTF-8 whatever bytes a trace holds, and computed
// figures round into integers without overflow.
#include "model/saturating.h"
#include "render/json_writer.h"
#include "render/utf8.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace contend::analyze {
namespace {

TEST(ValidUtf8, ValidTextIsUnchanged) {
  EXPECT_EQ(valid_utf8("g_pool"), "g_pool");
  EXPECT_EQ(valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x92"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x92");
  EXPECT_EQ(valid_utf8(""), "");
}

TEST(ValidUtf8, EachInvalidByteBecomesOneReplacement) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(valid_utf8("a\xFF"
                       "b"),
            "a" + r + "b");
  EXPECT_EQ(valid_utf8("\xC0\xAF"), r + r);                  // overlong '/'
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), r + r + r);          // a surrogate
  EXPECT_EQ(valid_utf8("\xF4\x90\x80\x80"), r + r + r + r);  // past U+10FFFF
  EXPECT_EQ(valid_utf8("x\xE2\x82"), "x" + r + r);           // cut short
}

TEST(ValidUtf8, JsonStringsAreValidUtf8) {
  EXPECT_EQ(JsonWriter::escape("lock\xFF\"1\""), "\"lock\xEF\xBF\xBD\\\"1\\\"\"");
}

TEST(RoundSaturating, RoundsAndSaturates) {
  EXPECT_EQ(round_saturating(2.4), 2u);
  EXPECT_EQ(round_saturating(2.5), 3u);
  EXPECT_EQ(round_saturating(-7.0), 0u);
  EXPECT_EQ(round_saturating(std::nan("")), 0u);
  EXPECT_EQ(round_saturating(1e30), UINT64_MAX);
  EXPECT_EQ(round_saturating(std::numeric_limits<double>::infinity()), UINT64_MAX);
}

}  // namespace
}  // namespace contend::analyze
