// The library's only voice: short warnings on the stderr it saw at start-up.
//
// The host may close or reuse fd 2, so start-up keeps a private duplicate
// (diagnostic_fd) and checks it still names the same file before writing.
// Each warning is one write(2) of one line: no stdio (the host may have
// closed it), no allocation and no lock, so it is safe from any path,
// re-entered or not. Longer messages are cut to one 512-byte line.
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
