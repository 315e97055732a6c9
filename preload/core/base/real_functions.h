// The real implementations of everything libcontend.so interposes: the one
// way every hook and the core reach them.
//
// The preload library fills the table with dlsym(RTLD_NEXT, ...) once, at
// start-up (bootstrap.cpp); unit tests, which link the core without
// interposing anything, fill it with libc's own functions. A function libc
// lacks stays nullptr, and then no program loaded with this libc can call
// its hook either (its symbol version would not resolve).
#pragma once

#include <pthread.h>
#include <semaphore.h>
#include <time.h>

namespace contend::preload {

// Pointer types say noexcept where glibc's declarations do (not for the
// cancellation points): a hook that forwards then ends in a tail jump.
struct RealFunctions {
  // Mutexes.
  int (*mutex_lock)(pthread_mutex_t*) noexcept = nullptr;
  int (*mutex_trylock)(pthread_mutex_t*) noexcept = nullptr;
  int (*mutex_timedlock)(pthread_mutex_t*, const timespec*) noexcept = nullptr;
  int (*mutex_clocklock)(pthread_mutex_t*, clockid_t, const timespec*) noexcept = nullptr;
  int (*mutex_unlock)(pthread_mutex_t*) noexcept = nullptr;
  int (*mutex_init)(pthread_mutex_t*, const pthread_mutexattr_t*) noexcept = nullptr;
  int (*mutex_destroy)(pthread_mutex_t*) noexcept = nullptr;
  int (*mutex_consistent)(pthread_mutex_t*) noexcept = nullptr;
  // Reader-writer locks.
  int (*rwlock_rdlock)(pthread_rwlock_t*) noexcept = nullptr;
  int (*rwlock_wrlock)(pthread_rwlock_t*) noexcept = nullptr;
  int (*rwlock_tryrdlock)(pthread_rwlock_t*) noexcept = nullptr;
  int (*rwlock_trywrlock)(pthread_rwlock_t*) noexcept = nullptr;
  int (*rwlock_timedrdlock)(pthread_rwlock_t*, const timespec*) noexcept = nullptr;
  int (*rwlock_timedwrlock)(pthread_rwlock_t*, const timespec*) noexcept = nullptr;
  int (*rwlock_clockrdlock)(pthread_rwlock_t*, clockid_t, const timespec*) noexcept = nullptr;
  int (*rwlock_clockwrlock)(pthread_rwlock_t*, clockid_t, const timespec*) noexcept = nullptr;
  int (*rwlock_unlock)(pthread_rwlock_t*) noexcept = nullptr;
  int (*rwlock_init)(pthread_rwlock_t*, const pthread_rwlockattr_t*) noexcept = nullptr;
  int (*rwlock_destroy)(pthread_rwlock_t*) noexcept = nullptr;
  // Spinlocks.
  int (*spin_lock)(pthread_spinlock_t*) noexcept = nullptr;
  int (*spin_trylock)(pthread_spinlock_t*) noexcept = nullptr;
  int (*spin_unlock)(pthread_spinlock_t*) noexcept = nullptr;
  int (*spin_init)(pthread_spinlock_t*, int) noexcept = nullptr;
  int (*spin_destroy)(pthread_spinlock_t*) noexcept = nullptr;
  // Condition variables (the GLIBC_2.3.2 versions).
  int (*cond_wait)(pthread_cond_t*, pthread_mutex_t*) = nullptr;
  int (*cond_timedwait)(pthread_cond_t*, pthread_mutex_t*, const timespec*) = nullptr;
  int (*cond_clockwait)(pthread_cond_t*, pthread_mutex_t*, clockid_t, const timespec*) = nullptr;
  int (*cond_signal)(pthread_cond_t*) = nullptr;
  int (*cond_broadcast)(pthread_cond_t*) = nullptr;
  // The pre-2.3.2 condition ABI (8-byte objects), forwarded untouched to
  // programs bound to it; nullptr where libc has none.
  int (*cond_wait_compat)(pthread_cond_t*, pthread_mutex_t*) = nullptr;
  int (*cond_timedwait_compat)(pthread_cond_t*, pthread_mutex_t*, const timespec*) = nullptr;
  int (*cond_signal_compat)(pthread_cond_t*) = nullptr;
  int (*cond_broadcast_compat)(pthread_cond_t*) = nullptr;
  // Semaphores.
  int (*sem_wait)(sem_t*) = nullptr;
  int (*sem_trywait)(sem_t*) = nullptr;
  int (*sem_timedwait)(sem_t*, const timespec*) = nullptr;
  int (*sem_clockwait)(sem_t*, clockid_t, const timespec*) = nullptr;
  int (*sem_post)(sem_t*) = nullptr;
  // Futexes and everything else made through syscall().
  long (*syscall)(long, ...) = nullptr;
  // Threads.
  int (*create_thread)(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*) = nullptr;
  int (*setname)(pthread_t, const char*) = nullptr;
  // exec and the exits that skip atexit: resolved here, once, because they
  // run in vfork children and signal handlers, where dlsym (which may
  // allocate and takes the loader's lock) must not.
  int (*execve)(const char*, char* const[], char* const[]) = nullptr;
  int (*execv)(const char*, char* const[]) = nullptr;
  int (*execvp)(const char*, char* const[]) = nullptr;
  int (*execvpe)(const char*, char* const[], char* const[]) = nullptr;
  int (*fexecve)(int, char* const[], char* const[]) = nullptr;
  int (*execveat)(int, const char*, char* const[], char* const[], int) = nullptr;
  void (*exit_now)(int) = nullptr;      // _exit
  void (*exit_now_c99)(int) = nullptr;  // _Exit
  // Namespaces and unloading.
  int (*unshare)(int) = nullptr;
  int (*setns)(int, int) = nullptr;
  int (*dlclose)(void*) = nullptr;
};

// The table the core uses. Written once during initialization, before any
// recording starts; read-only afterwards. Constant-initialized, so it is
// usable (empty) before any constructor has run.
inline constinit RealFunctions g_real_functions{};
inline const RealFunctions& real() {
  return g_real_functions;
}

}  // namespace contend::preload
