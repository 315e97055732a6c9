// The kernel's view of this process's threads, for the rare moments when
// the recorder must know whether its own thread is the only one left (our
// registry does not see threads that never attached). Reads /proc; never on
// a lock path.
#pragma once

#include <sys/types.h>

namespace contend::preload {

// Threads of this process still running, other than the thread `except`
// (a main thread that ended with pthread_exit stays a zombie until the
// process ends: not running). -1 when /proc cannot tell.
int other_running_threads(pid_t except);

}  // namespace contend::preload
