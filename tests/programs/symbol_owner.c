/* Which loaded object answers the program's own symbol lookup for the
 * unwinder ABI and backtrace, and which libraries are mapped: what a
 * profiler must not change. Prints one line per symbol and library. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static const char* owner(const char* symbol) {
  void* p = dlsym(RTLD_DEFAULT, symbol);
  if (p == NULL) return "none";
  Dl_info info;
  if (dladdr(p, &info) == 0 || info.dli_fname == NULL) return "unknown";
  const char* base = strrchr(info.dli_fname, '/');
  return base != NULL ? base + 1 : info.dli_fname;
}

static int mapped(const char* name) {
  FILE* maps = fopen("/proc/self/maps", "r");
  if (maps == NULL) return -1;
  char line[4096];
  int found = 0;
  while (fgets(line, sizeof line, maps) != NULL)
    if (strstr(line, name) != NULL) found = 1;
  fclose(maps);
  return found;
}

int main(void) {
  const char* symbols[] = {"_Unwind_RaiseException", "_Unwind_Backtrace", "_Unwind_Resume", "backtrace",
                           "unw_backtrace",          "dwarf_begin"};
  for (size_t i = 0; i < sizeof symbols / sizeof *symbols; ++i)
    printf("%s %s\n", symbols[i], owner(symbols[i]));
  const char* libraries[] = {"libdw", "libelf", "libfmt", "libspdlog", "liblzma", "libbz2", "libz."};
  for (size_t i = 0; i < sizeof libraries / sizeof *libraries; ++i)
    printf("%s mapped %s\n", libraries[i], mapped(libraries[i]) ? "yes" : "no");
  return 0;
}
