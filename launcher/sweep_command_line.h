// The "sweep" subcommand of contend's command line (CLI11, prefix mode like
// contend itself: the program's words after "--" or after its name are
// left untouched).
#pragma once

#include "sweep_options.h"

#include <CLI/CLI.hpp>

#include <string>

namespace contend::launch {

struct SweepCommandLine {
  SweepOptions options;
  std::string threads;  // as written: "1,2,4,8"
  std::string format = "table";
  bool help = false;
};

CLI::App* add_sweep_command(CLI::App& app, SweepCommandLine& cl);

// After parsing: the counts and the program's words into `cl.options`;
// `after_dashes` is what the parent command was left with. Returns "" or
// one line saying what is wrong.
std::string finish_sweep_command(CLI::App& sweep, const std::vector<std::string>& after_dashes,
                                 SweepCommandLine& cl);

// 1, 2, 4 ... up to twice the CPUs this process may run on.
std::vector<unsigned> default_thread_counts();

std::string sweep_help_text();

}  // namespace contend::launch
