// The library's only voice: short warnings on the stderr it saw at start-up.
//
// The host may close or reuse fd 2, so start-up keeps a private duplicate
// (diagnostic_fd) and checks it still names the same file before writing.
// Warnings go through spdlog with a sink that writes to that descriptor; a
// flag keeps a warning raised while another is being written (a signal, or
// our own lock hooks inside spdlog) from re-entering it.
#pragma once

#include <string_view>

namespace contend::preload {

// Duplicates fd 2 above the range programs usually use. Call once at start.
void open_diagnostic_fd();
// The duplicate, or -1 when it is gone or no longer the same file.
int diagnostic_fd();
// For tests: send warnings to `fd` instead.
void set_diagnostic_fd(int fd);

// Writes "contend: <message>" and a newline.
void warn(std::string_view message);

}  // namespace contend::preload
