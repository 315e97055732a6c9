#include "symbolize/function_names.h"

// From libiberty's demangle.h, whose other declarations clash with glibc's
// string.h (basename) in C++.
extern "C" char* rust_demangle(const char* mangled, int options);

#include <cxxabi.h>

#include <cstdlib>
#include <cstring>

namespace contend::analyze {

namespace {

constexpr std::string_view kEllipsis = "…";

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of an "operator..." token starting at `i` ("operator()",
// "operator<<", "operator new"), or 0 when none starts there.
size_t operator_token(std::string_view s, size_t i) {
  constexpr std::string_view kOp = "operator";
  if (s.compare(i, kOp.size(), kOp) != 0) return 0;
  if (i > 0 && identifier_char(s[i - 1])) return 0;
  size_t j = i + kOp.size();
  if (j < s.size() && identifier_char(s[j])) return 0;  // "operators", not an operator
  if (s.compare(j, 2, "()") == 0) return j + 2 - i;
  if (j < s.size() && s[j] == ' ') {
    // "operator new", "operator delete[]", "operator bool": a word.
    ++j;
    while (j < s.size() && (identifier_char(s[j]) || s[j] == '[' || s[j] == ']')) ++j;
    return j - i;
  }
  while (j < s.size() && std::strchr("<>=!+-*/%&|^~[],", s[j]) != nullptr) ++j;
  return j - i;
}

// Drops a trailing "(...)" parameter list (and what follows it, such as
// " const"), minding nested parentheses inside template arguments.
std::string drop_parameters(std::string name) {
  int depth = 0;
  for (size_t i = name.size(); i-- > 0;) {
    if (name[i] == ')') ++depth;
    if (name[i] == '(' && --depth == 0) {
      // "operator()" keeps its own parentheses.
      if (i >= 8 && name.compare(i - 8, 8, "operator") == 0) continue;
      return name.substr(0, i);
    }
  }
  return name;
}

// "void std::lock<...>" -> "std::lock<...>": what precedes the last space
// outside brackets is a return type (the demangler prints one for function
// templates).
std::string drop_return_type(std::string name) {
  int depth = 0;
  size_t cut = std::string::npos;
  for (size_t i = 0; i < name.size(); ++i) {
    if (size_t op = operator_token(name, i); op > 0) {
      i += op - 1;
      continue;
    }
    char c = name[i];
    if (c == '<' || c == '(' || c == '[' || c == '{') ++depth;
    if ((c == '>' || c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    if (c == ' ' && depth == 0) cut = i;
  }
  return cut == std::string::npos ? name : name.substr(cut + 1);
}

}  // namespace

std::string clean_function_name(std::string name) {
  name = drop_return_type(std::move(name));
  // A lambda is named by its closure, "main::{lambda()#1}", not by the
  // closure's call operator.
  constexpr std::string_view kCall = "}::operator()";
  if (name.size() > kCall.size() && name.compare(name.size() - kCall.size(), kCall.size(), kCall) == 0)
    name.resize(name.size() - kCall.size() + 1);
  return name;
}

std::string readable_function_name(const char* symbol) {
  if (symbol == nullptr) return "";
  // Rust, both manglings (v0 "_R...", and legacy "_ZN...17h<hash>E", which
  // would otherwise read as C++ with its hash): libiberty's demangler,
  // hashes dropped. It answers nullptr for anything else.
  if (symbol[0] == '_' && (symbol[1] == 'R' || symbol[1] == 'Z')) {
    if (char* rust = rust_demangle(symbol, 0)) {
      std::string out = rust;
      std::free(rust);
      return out;
    }
  }
  if (symbol[0] == '_' && symbol[1] == 'Z') {
    int status = 0;
    char* demangled = abi::__cxa_demangle(symbol, nullptr, nullptr, &status);
    if (status == 0 && demangled != nullptr) {
      std::string out = clean_function_name(drop_parameters(demangled));
      std::free(demangled);
      return out;
    }
    std::free(demangled);
  }
  return symbol;
}

std::string collapse_templates(std::string_view name, int depth) {
  std::string out;
  int level = 0;    // template argument lists open
  int skipped = 0;  // open lists inside a collapsed one
  for (size_t i = 0; i < name.size(); ++i) {
    if (size_t op = operator_token(name, i); op > 0) {
      if (skipped == 0) out.append(name.substr(i, op));
      i += op - 1;
      continue;
    }
    char c = name[i];
    // A template list follows a name; "<std::...>::f" (a Rust qualified
    // path) does not.
    bool opens = c == '<' && i > 0 && identifier_char(name[i - 1]);
    if (skipped > 0) {
      if (c == '<') ++skipped;
      if (c == '>' && --skipped == 0) {
        out += kEllipsis;
        out += '>';
        --level;
      }
      continue;
    }
    if (opens && level >= depth) {
      out += '<';
      skipped = 1;
      ++level;
      continue;
    }
    if (opens) ++level;
    if (c == '>' && level > 0) --level;
    out += c;
  }
  if (skipped > 0) out += kEllipsis;  // unbalanced: cut where it opened
  return out;
}

std::string context_name(std::string_view name) {
  std::string s = collapse_templates(name, 0);
  std::string bare;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 5, "<…>") == 0) {
      i += 4;
      continue;
    }
    bare += s[i];
  }
  // A Rust qualified path "<std::x::Mutex>::f" reads as "std::x::Mutex::f".
  if (!bare.empty() && bare.front() == '<') {
    size_t close = bare.find(">::");
    if (close != std::string::npos && bare.find(" as ") == std::string::npos)
      bare = bare.substr(1, close - 1) + bare.substr(close + 1);
  }
  // A constructor reads as its class: "std::lock_guard::lock_guard".
  size_t last = bare.rfind("::");
  if (last != std::string::npos && last > 0) {
    size_t prev = bare.rfind("::", last - 1);
    std::string cls = bare.substr(prev == std::string::npos ? 0 : prev + 2,
                                  last - (prev == std::string::npos ? 0 : prev + 2));
    if (cls == bare.substr(last + 2)) bare.resize(last);
  }
  return bare;
}

size_t display_width(std::string_view text) {
  size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

namespace {

// The first `n` code points of `text`.
std::string_view head(std::string_view text, size_t n) {
  size_t i = 0;
  for (size_t seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen++ == n) break;
  }
  return text.substr(0, i);
}

// The last `n` code points of `text`.
std::string_view tail(std::string_view text, size_t n) {
  size_t i = text.size();
  for (size_t seen = 0; i > 0 && seen < n;) {
    --i;
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++seen;
  }
  return text.substr(i);
}

}  // namespace

std::string fit_text(std::string_view text, size_t width) {
  if (display_width(text) <= width) return std::string(text);
  for (int depth : {1, 0}) {
    std::string shorter = collapse_templates(text, depth);
    if (display_width(shorter) <= width) return shorter;
  }
  std::string shorter = collapse_templates(text, 0);
  if (width <= 1) return std::string(head(kEllipsis, width));
  size_t front = (width - 1) / 3;
  return std::string(head(shorter, front)) + std::string(kEllipsis) +
         std::string(tail(shorter, width - 1 - front));
}

}  // namespace contend::analyze
