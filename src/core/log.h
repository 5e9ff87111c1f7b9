// Diagnostics: the library never prints. Messages go to the callback the host
// installed with cliprt_log_set(); with none installed they are dropped.
#pragma once

#include <string_view>

namespace cliprt {

// Same values as cliprt_log_level in cliprt.h.
enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

using LogCallback = void (*)(int level, const char* message, void* user_data);

// Installs (or, with nullptr, removes) the process-wide callback. Thread-safe;
// a message being delivered concurrently uses either the old or the new one.
void SetLogCallback(LogCallback callback, void* user_data);

// Delivers `message` (NUL-terminated copy made internally) to the callback.
void Log(LogLevel level, std::string_view message);

}  // namespace cliprt
