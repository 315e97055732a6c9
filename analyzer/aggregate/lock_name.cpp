#include "aggregate/lock_name.h"

#include "symbolize/call_site.h"

#include <fmt/format.h>

namespace contend::analyze {

LockName name_lock(const DecodedTrace& p, uint64_t address, const IdentityData* identity, CallSites& sites,
                   Symbolizer& symbolizer) {
  LockName out;
  if (identity != nullptr && identity->has_birth) {
    if (const std::vector<uint64_t>* frames = p.stack(identity->birth.birth_stack)) {
      CallSite site = sites.of_frames(*frames, identity->birth.time);
      bool init = identity->birth.birth == static_cast<uint8_t>(format::LockBirth::kInit);
      // Named after the user's function, without the wrapper it called.
      std::string where = site.function.empty() && site.module.empty() ? site.label() : site.place();
      out.birth = fmt::format("{} {}", init ? "created in" : "first locked in", where);
    }
  }
  if (identity != nullptr && !identity->annotation.empty()) {
    out.name = identity->annotation;
    out.source = NameSource::kAnnotation;
    return out;
  }
  bool writable = false;
  const Module* m = p.space.find(address, 0, &writable);
  if (m != nullptr && writable) {
    std::string symbol = symbolizer.data_symbol(m, address);
    if (!symbol.empty()) {
      out.name = symbol;
      out.source = NameSource::kSymbol;
      return out;
    }
  }
  if (!out.birth.empty()) {
    out.name = out.birth;
    out.source = NameSource::kBirth;
    return out;
  }
  out.name = fmt::format("0x{:x}", address);
  out.source = NameSource::kAddress;
  return out;
}

}  // namespace contend::analyze
