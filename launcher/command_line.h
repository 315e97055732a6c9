// The launcher's command line: its own options, then the program's argv.
//
// contend's options end at the first word that is not one of them, or at
// "--"; from there on every word belongs to the program, unchanged, even
// words that look like options (`contend -o x.trace ./app -o y` gives the
// program "-o y").
#pragma once

#include "sweep_options.h"

#include <string>
#include <vector>

namespace contend::launch {

struct Options {
  std::string output;  // -o, --output: CONTEND_OUTPUT for the run
  bool stats = false;
  bool no_children = false;
  bool all_futexes = false;  // --all-futexes: CONTEND_FUTEX=all
  bool quiet = false;
  std::vector<std::string> command;  // the program's argv, argv[0] first
};

struct CommandLine {
  enum class Action { kRun, kHelp, kVersion, kError, kSweep, kSweepHelp };
  Action action = Action::kRun;
  Options options;
  SweepOptions sweep;  // for kSweep
  std::string error;   // one line, for kError
};

CommandLine parse_command_line(int argc, const char* const* argv);

// --help: usage, options and exit statuses.
std::string help_text();

}  // namespace contend::launch
