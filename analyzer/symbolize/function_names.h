// Function names as reports show them: demangled (C++, and Rust in both
// manglings, hash dropped), without parameter list nor return type, a
// lambda named after its enclosing function; and shorter forms for narrow
// places (a table cell, a wrapper named as context).
#pragma once

#include <string>
#include <string_view>

namespace contend::analyze {

// Demangles a symbol (C++ or Rust) and drops its parameters and return
// type; other names are cleaned the same way (names read from DWARF).
std::string readable_function_name(const char* symbol);

// A name without its parameters, as DWARF or the demangler (once the
// parameters are dropped) give it: "void std::lock<std::mutex, std::mutex>"
// -> "std::lock<std::mutex, std::mutex>"; "main::{lambda()#1}::operator()"
// -> "main::{lambda()#1}". Names without either are returned unchanged.
std::string clean_function_name(std::string name);

// Template argument lists beyond `depth` collapsed to "<…>":
// collapse_templates("a<b<c>>::f", 1) == "a<b<…>>::f"; depth 0 collapses all.
std::string collapse_templates(std::string_view name, int depth);

// A wrapper named as the context of a call site: without template
// arguments, and a constructor named by its class
// ("std::lock_guard<std::mutex>::lock_guard" -> "std::lock_guard").
std::string context_name(std::string_view name);

// Characters as a terminal shows them (UTF-8 code points).
size_t display_width(std::string_view text);

// `text` in at most `width` columns: template arguments collapsed first,
// then the middle replaced by "…" (the start and the end say most).
std::string fit_text(std::string_view text, size_t width);

}  // namespace contend::analyze
