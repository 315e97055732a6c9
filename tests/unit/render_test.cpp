#include "columns/units.h"
#include "render/json_writer.h"

#include <gtest/gtest.h>

namespace contend::analyze {
namespace {

TEST(Units, DurationsKeepThreeSignificantDigits) {
  EXPECT_EQ(format_duration(0), "0 ns");
  EXPECT_EQ(format_duration(999), "999 ns");
  EXPECT_EQ(format_duration(1000), "1.00 us");
  EXPECT_EQ(format_duration(12345), "12.3 us");
  EXPECT_EQ(format_duration(999960), "1.00 ms");
  EXPECT_EQ(format_duration(20'100'000), "20.1 ms");
  EXPECT_EQ(format_duration(3'210'000'000ull), "3.21 s");
  EXPECT_EQ(format_duration(321'000'000'000ull), "321 s");
}

TEST(Units, PercentAndCounts) {
  EXPECT_EQ(format_percent(0.5), "50.0%");
  EXPECT_EQ(format_percent(0.0001), "<0.1%");
  EXPECT_EQ(format_percent(0), "0.0%");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_count(12), "12");
}

TEST(JsonWriter, NestsEscapesAndSeparates) {
  JsonWriter j;
  j.begin_object();
  j.field("s", "a\"b\\c\n\x01");
  j.field("n", uint64_t{18446744073709551615ull});
  j.field("d", 0.25);
  j.key("a").begin_array();
  j.value(true).null();
  j.end_array();
  j.key("e").begin_object().end_object();
  j.end_object();
  EXPECT_EQ(j.str(),
            "{\n  \"s\": \"a\\\"b\\\\c\\n\\u0001\",\n  \"n\": 18446744073709551615,\n  \"d\": 0.25,\n"
            "  \"a\": [\n    true,\n    null\n  ],\n  \"e\": {}\n}\n");
}

}  // namespace
}  // namespace contend::analyze
