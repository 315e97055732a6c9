// CONTEND_CHILDREN=0: children must not load us. Removing our own entry
// from LD_PRELOAD at start-up keeps exec'd programs, posix_spawn, system()
// and popen() children unprofiled (a forked child is told by the session).
#pragma once

namespace contend::preload {

void remove_self_from_ld_preload();

}  // namespace contend::preload
