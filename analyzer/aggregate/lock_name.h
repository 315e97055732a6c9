// A lock's name, by preference: its annotation, the global variable it
// lives in, the function that created it (or first locked it), its address.
#pragma once

#include "model/address_space.h"
#include "model/decoded_trace.h"
#include "report/report.h"
#include "symbolize/call_site.h"
#include "symbolize/symbolizer.h"

#include <string>

namespace contend::analyze {

struct LockName {
  std::string name;
  NameSource source = NameSource::kAddress;
  std::string birth;  // "created in X (f.cpp:12)", "first locked in X (...)", or ""
};

LockName name_lock(const DecodedTrace& p, uint64_t address, const IdentityData* identity, CallSites& sites,
                   Symbolizer& symbolizer);

}  // namespace contend::analyze
