// How the launcher itself fails: the exit statuses env(1), timeout(1) and
// the shells use, and a one-line reason.
#pragma once

#include <string>

namespace contend::launch {

constexpr int kExitLauncherFailed = 125;  // bad option, a program LD_PRELOAD cannot reach, no library
constexpr int kExitCannotRun = 126;       // found, but cannot be executed
constexpr int kExitNotFound = 127;        // not found (the program, its interpreter or its loader)

struct Refusal {
  std::string why;  // "PROGRAM: what is wrong", without "contend: "
  int exit_code = kExitLauncherFailed;
};

}  // namespace contend::launch
