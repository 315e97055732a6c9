#include "thread/current_thread.h"

namespace contend::preload {

__thread ThreadState* tls_thread __attribute__((tls_model("initial-exec"))) = nullptr;

}  // namespace contend::preload
