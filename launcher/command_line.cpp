#include "command_line.h"

#include "exit_codes.h"

#include <fmt/format.h>

#include <string_view>

namespace contend::launch {

namespace {

constexpr std::string_view kUsage = "contend [OPTIONS] [--] PROGRAM [ARGS...]";

// Scans contend's own options; stops at the program's name.
class Scanner {
 public:
  Scanner(int argc, const char* const* argv) : argc_(argc), argv_(argv) {}

  CommandLine run() {
    int i = 1;
    for (; i < argc_ && cl_.action != CommandLine::Action::kError; ++i) {
      std::string_view word = argv_[i];
      if (word == "--") {
        ++i;
        break;
      }
      // "-" alone is a word, not an option: a program of that name.
      if (word.size() < 2 || word[0] != '-') break;
      if (word[1] == '-') {
        long_option(word, i);
      } else {
        short_options(word, i);
      }
    }
    if (cl_.action == CommandLine::Action::kError) return cl_;
    if (help_) {
      cl_.action = CommandLine::Action::kHelp;
    } else if (version_) {
      cl_.action = CommandLine::Action::kVersion;
    } else {
      for (; i < argc_; ++i) cl_.options.command.emplace_back(argv_[i]);
      if (cl_.options.command.empty()) fail(fmt::format("no program given (usage: {})", kUsage));
    }
    return cl_;
  }

 private:
  void fail(std::string why) {
    if (cl_.action == CommandLine::Action::kError) return;
    cl_.action = CommandLine::Action::kError;
    cl_.error = std::move(why);
  }

  void unknown(std::string_view option) {
    fail(fmt::format("unknown option {} (contend's options go before the program's name; see --help)",
                     option));
  }

  // The value of -o/--output: glued to it, or the next word.
  void output(std::string_view option, std::string_view glued, bool has_glued, int& i) {
    if (!has_glued) {
      if (i + 1 >= argc_) return fail(fmt::format("option {} needs a path", option));
      glued = argv_[++i];
    }
    if (glued.empty()) return fail(fmt::format("option {} needs a path, not an empty word", option));
    cl_.options.output = glued;
  }

  void long_option(std::string_view word, int& i) {
    std::string_view name = word;
    std::string_view value;
    size_t eq = word.find('=');
    if (eq != std::string_view::npos) {
      name = word.substr(0, eq);
      value = word.substr(eq + 1);
    }
    if (name == "--output") return output(name, value, eq != std::string_view::npos, i);
    bool* flag = name == "--stats"         ? &cl_.options.stats
                 : name == "--no-children" ? &cl_.options.no_children
                 : name == "--quiet"       ? &cl_.options.quiet
                 : name == "--help"        ? &help_
                 : name == "--version"     ? &version_
                                           : nullptr;
    if (flag == nullptr) return unknown(name);
    if (eq != std::string_view::npos) return fail(fmt::format("option {} takes no value", name));
    *flag = true;
  }

  // -q, -h, -o PATH, bundled as in -qo PATH or -oPATH.
  void short_options(std::string_view word, int& i) {
    for (size_t k = 1; k < word.size(); ++k) {
      switch (word[k]) {
        case 'q': cl_.options.quiet = true; break;
        case 'h': help_ = true; break;
        case 'o': return output("-o", word.substr(k + 1), k + 1 < word.size(), i);
        default:
          if (word.size() == 2) return unknown(word);
          return unknown(fmt::format("-{} (in {})", word[k], word));
      }
    }
  }

  int argc_;
  const char* const* argv_;
  CommandLine cl_;
  bool help_ = false;
  bool version_ = false;
};

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv) {
  return Scanner(argc, argv).run();
}

std::string help_text() {
  return fmt::format(
      R"(contend: run a program under the lock-contention profiler

usage: {}

Options end at PROGRAM (or at --): every word after it is passed to the
program unchanged, even words that look like options.

  -o, --output PATH  where traces go (CONTEND_OUTPUT). A file: %p becomes the
                     pid; other processes of the run write PATH.PID. A
                     directory (existing, or PATH ending in /): every process
                     writes DIR/contend.PID.trace
      --stats        print the top-5 hotspots to stderr when the program exits
      --no-children  do not profile child processes (CONTEND_CHILDREN=0)
  -q, --quiet        do not print where the traces are
  -h, --help         print this help
      --version      print the version

After the run, contend names the traces written, one per process image, and
when there are several, the one with the most lock activity.

Exit status: the program's own (128 + N when signal N ended it), or
  {}  contend failed: a bad option, a static or setuid/setgid program (LD_PRELOAD
       cannot reach it), no libcontend.so
  {}  PROGRAM was found but cannot run: not executable, a directory, a binary
       for another system, a file contend cannot read
  {}  PROGRAM was not found: not in PATH, no such file, or its interpreter (#!)
       or loader is missing
)",
      kUsage, kExitLauncherFailed, kExitCannotRun, kExitNotFound);
}

}  // namespace contend::launch
