// The recording session of this process: configuration, thread registry,
// trace file and drain, and the transitions between them (start, thread
// attach and exit, fork, stop).
//
// The preload library drives it from its constructor, hooks and exit paths;
// unit tests drive it directly, several times in one process.
#pragma once

#include "base/config.h"
#include "thread/current_thread.h"
#include "thread/thread_state.h"

#include <contend/trace_format.h>

#include <pthread.h>
#include <cstdint>

namespace contend::preload::session {

// The program is about to have a thread of its own: the drain thread may
// start now (it starts lazily, see drain.h).
void start_drain();

// Opens the trace, writes the header, starts the drain thread. On failure,
// warns once and leaves recording off. Returns whether recording started.
bool start(const Config& config);

// Stops the drain, writes out everything and the footer, closes the file and
// prints the CONTEND_STATS summary. Safe to call more than once.
void stop(format::FooterReason reason);

// Slow path of a hook: attaches the calling thread (or returns nullptr when
// it must not record). `creator_tid`: the thread that created it, when known.
ThreadState* attach_current_thread(uint32_t creator_tid = 0);

// The tid of a profiled thread, or 0.
uint32_t tid_of(pthread_t thread);

// The calling thread is ending: hand its slot to the drain.
void detach_current_thread();

// Fork handlers. Before: no scan of loaded objects of ours may be under
// way at the fork. In a forked child: forget the parent's threads, file and
// pending data, and start afresh (or, when children are not to be
// profiled, stop recording for good); only state is reset there, the
// child's trace is opened later, outside fork.
void prepare_fork();
void resume_after_fork();
void restart_in_child();

// Before unshare or setns: calls that fail with EINVAL while another
// thread exists. When our drain is the only other one, it is stopped first
// (and starts again when the program next needs it).
void before_namespace_change();

// Around exec: write everything out with a footer before the image is
// replaced; if exec fails, go on recording into the same file.
void checkpoint_before_exec();
void resume_after_failed_exec();

// Drains all rings once on the calling thread (tests use it instead of
// waiting for the drain thread).
void drain_now();

// True in the process that owns the session; false in a vfork child, which
// shares our memory and must never touch the parent's session.
bool owns_process();

bool is_started();

// Called after the trace is closed when CONTEND_STATS is set; the preload
// library installs the analyzer's summary printer here.
using StatsPrinter = void (*)(const char* trace_path, int fd);
void set_stats_printer(StatsPrinter printer);

}  // namespace contend::preload::session
