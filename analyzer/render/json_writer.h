// A small streaming JSON writer: commas, indentation and string escaping.
// Integers are written exactly; doubles with up to 6 significant decimals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace contend::analyze {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(uint64_t v);
  JsonWriter& value(uint32_t v) { return value(static_cast<uint64_t>(v)); }
  JsonWriter& value(int64_t v);
  JsonWriter& value(double v);
  JsonWriter& value(bool v);
  JsonWriter& null();

  template <typename T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  // The document; complete once every object and array is closed.
  const std::string& str() const { return out_; }

  static std::string escape(std::string_view s);

 private:
  void before_value();
  void newline();

  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
};

}  // namespace contend::analyze
