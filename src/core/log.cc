#include "core/log.h"

#include <mutex>
#include <string>

namespace cliprt {
namespace {

// The pair is read and written under one mutex so a caller never sees the
// callback of one installation with the user_data of another.
std::mutex g_log_mutex;
LogCallback g_callback = nullptr;
void* g_user_data = nullptr;

}  // namespace

void SetLogCallback(LogCallback callback, void* user_data) {
  std::lock_guard<std::mutex> lock(g_log_mutex);
  g_callback = callback;
  g_user_data = user_data;
}

void Log(LogLevel level, std::string_view message) {
  LogCallback callback;
  void* user_data;
  {
    std::lock_guard<std::mutex> lock(g_log_mutex);
    callback = g_callback;
    user_data = g_user_data;
  }
  if (callback == nullptr) return;
  const std::string text(message);
  callback(static_cast<int>(level), text.c_str(), user_data);
}

}  // namespace cliprt
