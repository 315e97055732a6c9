// The name of a function from its DWARF entry: the linkage name, demangled,
// or else the name qualified by its enclosing namespaces, classes and, for
// a local class or lambda, the function it is in ("main::{lambda()#2}").
#pragma once

#include <elfutils/libdw.h>

#include <string>

namespace contend::analyze {

// A DW_TAG_subprogram or DW_TAG_inlined_subroutine; "" when unnamed.
std::string die_function_name(Dwarf_Die* die);

}  // namespace contend::analyze
