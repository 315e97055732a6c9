// Replacing what one loaded library imports, for that library alone.
//
// A library calls the functions it imports through slots of its own (its
// GOT), filled by the loader. Rewriting a slot changes where that library's
// calls go and nobody else's: the program, libc and every other library keep
// their own slots. Used on our private copy of libunwind only
// (record/walker_pipe.h).
#pragma once

#include <cstddef>

namespace contend::preload {

struct ImportReplacement {
  const char* name;   // the imported symbol, e.g. "read"
  void* replacement;  // what the library's calls to it reach from now on
};

// Rewrites the slots of every import named in list, in the library that
// dlopen's handle names. Returns how many slots were rewritten; a name the
// library does not import rewrites nothing.
size_t replace_library_imports(void* handle, const ImportReplacement* list, size_t count);

}  // namespace contend::preload
