// Whether the dynamic loader's list lock is usable in a forked child.
//
// dl_iterate_phdr (and dlopen, dlclose) take the loader's write lock.
// glibc's fork resets the loader's other lock in the child but not this one
// (2.36 here): when another thread of the parent held it at the fork (in
// dlopen, dlclose, or an unwinder's dl_iterate_phdr), it stays held in the
// child for good, and the child's first dl_iterate_phdr never returns. Then
// the child's set of loaded objects cannot change either (loading or
// unloading one needs that lock), so the parent's module map stays exact.
#pragma once

namespace contend::preload {

// Finds the lock, once per process, from a thread that holds no loader
// lock (the session's start). Without it, children treat the lock as held.
void locate_loader_write_lock();

// In a forked child, before anything else runs: true when the lock is
// known to be free (so dl_iterate_phdr returns), false when it is held or
// its state is unknown.
bool loader_write_lock_free();

}  // namespace contend::preload
