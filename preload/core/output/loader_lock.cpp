#include "output/loader_lock.h"

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <unistd.h>
#include <cstddef>

namespace contend::preload {

namespace {

// glibc's rtld locks are recursive pthread mutexes inside ld.so's
// _rtld_global, whose layout is private; the public mutex layout is not.
const pthread_mutex_t* g_write_lock = nullptr;
bool g_located = false;

struct Search {
  const std::byte* base;
  size_t size;
  const pthread_mutex_t* found;
  int matches;
};

// Inside a dl_iterate_phdr callback this thread holds the write lock, and
// no other loader lock (see locate_loader_write_lock): the one recursive
// mutex in _rtld_global owned by us once.
int find_owned_lock(dl_phdr_info*, size_t, void* arg) {
  auto* s = static_cast<Search*>(arg);
  int self = static_cast<int>(gettid());
  for (size_t off = 0; off + sizeof(pthread_mutex_t) <= s->size; off += alignof(pthread_mutex_t)) {
    const auto* m = reinterpret_cast<const pthread_mutex_t*>(s->base + off);
    if (m->__data.__owner == self && m->__data.__count == 1 && m->__data.__lock != 0 &&
        m->__data.__kind == PTHREAD_MUTEX_RECURSIVE_NP) {
      s->found = m;
      ++s->matches;
    }
  }
  return 1;  // once is enough
}

}  // namespace

void locate_loader_write_lock() {
  if (g_located) return;
  g_located = true;
  void* base = dlsym(RTLD_DEFAULT, "_rtld_global");
  Dl_info info;
  void* entry = nullptr;
  if (base == nullptr || dladdr1(base, &info, &entry, RTLD_DL_SYMENT) == 0 || entry == nullptr) return;
  const auto* symbol = static_cast<const ElfW(Sym)*>(entry);
  Search s{static_cast<const std::byte*>(base), symbol->st_size, nullptr, 0};
  dl_iterate_phdr(&find_owned_lock, &s);
  // Ambiguous (we were inside dlopen, say): unknown.
  if (s.matches == 1) g_write_lock = s.found;
}

bool loader_write_lock_free() {
  if (g_write_lock == nullptr) return false;
  // The child has one thread: nobody changes these while we read them.
  // The lock word, not only the owner: a locker sets the owner just after
  // taking the word, and an unlocker clears it just before releasing it.
  return __atomic_load_n(&g_write_lock->__data.__lock, __ATOMIC_RELAXED) == 0 &&
         __atomic_load_n(&g_write_lock->__data.__owner, __ATOMIC_RELAXED) == 0;
}

}  // namespace contend::preload
