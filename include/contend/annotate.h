/* contend annotation API: name locks and threads from the application.
 *
 *   #include <contend/annotate.h>
 *   contend_name_lock(&pool->mutex, "shared_pool.alloc_lock");
 *   contend_name_thread("io-worker-3");
 *
 * Header-only, for C and C++. It has no link-time dependency on
 * libcontend.so: each call looks the library up at run time (once) and does
 * nothing when the program runs without it. Names are copied; up to 256
 * bytes of a lock name and 15 of a thread name are kept. Define
 * CONTEND_NO_ANNOTATIONS to compile every call away.
 *
 * glibc before 2.34 needs -ldl for dlsym. */
#ifndef CONTEND_ANNOTATE_H
#define CONTEND_ANNOTATE_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CONTEND_NO_ANNOTATIONS

#include <dlfcn.h>

/* The symbols libcontend.so exports for this header (versioned by name). */
#define CONTEND_ANNOTATE_LOCK_SYMBOL "contend_annotate_lock_v1"
#define CONTEND_ANNOTATE_THREAD_SYMBOL "contend_annotate_thread_v1"

/* Resolves `symbol` once; NULL when libcontend.so is not loaded. */
static inline void* contend_annotation_entry_(void** cache, int* state, const char* symbol) {
  if (__atomic_load_n(state, __ATOMIC_ACQUIRE) == 0) {
    /* RTLD_DEFAULT is ((void*)0) in glibc; spelled out so that no feature
     * macro is needed. */
    __atomic_store_n(cache, dlsym((void*)0, symbol), __ATOMIC_RELAXED);
    __atomic_store_n(state, 1, __ATOMIC_RELEASE);
  }
  return __atomic_load_n(cache, __ATOMIC_RELAXED);
}

static inline void contend_name_lock(const void* lock, const char* name) {
  static void* entry;
  static int state;
  void* fn = contend_annotation_entry_(&entry, &state, CONTEND_ANNOTATE_LOCK_SYMBOL);
  if (fn != 0) ((void (*)(const void*, const char*))fn)(lock, name);
}

static inline void contend_name_thread(const char* name) {
  static void* entry;
  static int state;
  void* fn = contend_annotation_entry_(&entry, &state, CONTEND_ANNOTATE_THREAD_SYMBOL);
  if (fn != 0) ((void (*)(const char*))fn)(name);
}

#else

static inline void contend_name_lock(const void* lock, const char* name) {
  (void)lock;
  (void)name;
}
static inline void contend_name_thread(const char* name) {
  (void)name;
}

#endif

#ifdef __cplusplus
}
#endif

#endif /* CONTEND_ANNOTATE_H */
