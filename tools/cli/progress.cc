#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace cliprt_cli {
namespace {
constexpr auto kDelay = std::chrono::milliseconds(1000);  // quiet for short jobs
constexpr auto kRedraw = std::chrono::milliseconds(200);

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}
void ClearLine() { std::fputs("\r\033[K", stderr); }
}  // namespace

bool StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

Spinner::Spinner(std::string label) : label_(std::move(label)) {
  if (StderrIsTerminal()) thread_ = std::thread([this] { Run(); });
}

Spinner::~Spinner() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  if (drawn_) ClearLine();
}

void Spinner::Run() {
  static const char kFrames[] = "|/-\\";
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock<std::mutex> lock(mu_);
  if (cv_.wait_for(lock, kDelay, [this] { return stop_; })) return;
  for (int frame = 0; !stop_; ++frame) {
    std::fprintf(stderr, "\r\033[K%c %s  %.1f s", kFrames[frame % 4], label_.c_str(),
                 SecondsSince(start));
    std::fflush(stderr);
    drawn_ = true;
    cv_.wait_for(lock, kRedraw, [this] { return stop_; });
  }
}

ProgressBar::ProgressBar(std::string label, int64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(StderrIsTerminal()),
      start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  if (drawn_) ClearLine();
}

void ProgressBar::Update(int64_t done) {
  if (!enabled_ || total_ <= 0 || std::chrono::steady_clock::now() - start_ < kDelay) return;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(kWidth * done / total_);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(stderr, "\r\033[K%s [%s] %lld/%lld  %.1f s", label_.c_str(), bar.c_str(),
               static_cast<long long>(done), static_cast<long long>(total_), SecondsSince(start_));
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace cliprt_cli
