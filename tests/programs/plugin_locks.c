/* A plugin loaded with dlopen after start-up: its lock and its function
 * must be named in the report (the module map records it late). */
#include "handoff_lib.h"

pthread_mutex_t g_plugin_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) void plugin_work(void) {
  handoff_run(&g_plugin_lock, 3, 5);
}
