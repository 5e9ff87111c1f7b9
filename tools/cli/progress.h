// Progress on stderr for jobs that take more than about a second — only when
// stderr is a terminal, so pipes, logs and tests see nothing.
//
// Spinner: one library call whose progress is unknown (load, encode); shows
// the label and the elapsed seconds. ProgressBar: work counted in items
// (index build adds images chunk by chunk).
#ifndef CLIPRT_TOOLS_CLI_PROGRESS_H_
#define CLIPRT_TOOLS_CLI_PROGRESS_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace cliprt_cli {

bool StderrIsTerminal();

class Spinner {
 public:
  explicit Spinner(std::string label);
  ~Spinner();
  Spinner(const Spinner&) = delete;
  Spinner& operator=(const Spinner&) = delete;

 private:
  void Run();
  std::string label_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool drawn_ = false;
  std::thread thread_;
};

class ProgressBar {
 public:
  ProgressBar(std::string label, int64_t total);
  ~ProgressBar();
  void Update(int64_t done);

 private:
  std::string label_;
  int64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_PROGRESS_H_
