/* Ends the process in the way argv[1] says, after 3 contended rounds:
 *   return | exit | _exit | _Exit | thread-exit (exit() from another thread
 *   while main is blocked) | quick_exit
 * Exit status 7 in every case but "return" (0). */
#include "handoff_lib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

static void* exit_from_thread(void* arg) {
  (void)arg;
  fflush(stdout);
  exit(7);
}

int main(int argc, char** argv) {
  const char* how = argc > 1 ? argv[1] : "return";
  handoff_run(&g_lock, 3, 10);
  printf("ending with %s\n", how);
  fflush(stdout);
  if (strcmp(how, "exit") == 0) exit(7);
  if (strcmp(how, "_exit") == 0) _exit(7);
  if (strcmp(how, "_Exit") == 0) _Exit(7);
  if (strcmp(how, "quick_exit") == 0) quick_exit(7);
  if (strcmp(how, "thread-exit") == 0) {
    pthread_t t;
    pthread_create(&t, NULL, exit_from_thread, NULL);
    pause();
  }
  return 0;
}
