// Text from traces (lock and thread names, paths, symbols) is bytes: a
// program may name a lock with anything. Formats that promise UTF-8 (JSON,
// protobuf strings) get it with each invalid sequence replaced by U+FFFD.
#pragma once

#include <string>
#include <string_view>

namespace contend::analyze {

// `s` when it is valid UTF-8; otherwise a copy with every invalid byte
// sequence (overlong forms, surrogates, code points past U+10FFFF,
// truncated sequences) replaced by U+FFFD.
std::string valid_utf8(std::string_view s);

}  // namespace contend::analyze
