/* Writes its whole argv to stdout, each word followed by a NUL byte, so a
 * test can compare what the program received with what it was given, byte
 * for byte (empty words, spaces and newlines included). No locks. */
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) fwrite(argv[i], 1, strlen(argv[i]) + 1, stdout);
  return 0;
}
