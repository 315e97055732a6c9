// Interposers for thread creation and naming.
#include "core/process/record_thread.h"
#include "hook.h"

using contend::preload::hook;
using contend::preload::RealFunctions;
namespace rec = contend::preload;

extern "C" {

CONTEND_EXPORT int pthread_create(pthread_t* thread, const pthread_attr_t* attr, void* (*start)(void*),
                                  void* arg) noexcept {
  return hook<&RealFunctions::create_thread, &rec::create_thread>(thread, attr, start, arg);
}

CONTEND_EXPORT int pthread_setname_np(pthread_t thread, const char* name) noexcept {
  return hook<&RealFunctions::setname, &rec::set_thread_name>(thread, name);
}

}  // extern "C"

// The same hooks under the version older programs are bound to (hook.h).
CONTEND_VERSIONED(pthread_create, GLIBC_2_2_5, "GLIBC_2.2.5", "GLIBC_2.34");
CONTEND_VERSIONED(pthread_setname_np, GLIBC_2_12, "GLIBC_2.12", "GLIBC_2.34");
