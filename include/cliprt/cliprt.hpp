// cliprt.hpp — the C++ API of cliprt: RAII types over the C API in cliprt.h.
//
// Header-only and built purely on the C ABI, so it works with the shared
// library across compiler versions. Errors are reported as cliprt::Error
// exceptions carrying the cliprt_status and the library's message (the C++
// API is the one place exceptions are used; they never cross the C boundary).
// Handles own their C objects (std::unique_ptr with the matching _free); no
// raw owning pointers are exposed.
#ifndef CLIPRT_CLIPRT_HPP_
#define CLIPRT_CLIPRT_HPP_

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cliprt/cliprt.h"

namespace cliprt {

// A failed cliprt call: status() is the C status, what() the message.
class Error : public std::runtime_error {
 public:
  Error(cliprt_status status, const std::string& message)
      : std::runtime_error(std::string(cliprt_status_string(status)) + ": " + message),
        status_(status) {}
  cliprt_status status() const noexcept { return status_; }

 private:
  cliprt_status status_;
};

// Throws cliprt::Error if `status` is not CLIPRT_OK.
inline void Check(cliprt_status status) {
  if (status != CLIPRT_OK) throw Error(status, cliprt_last_error_message());
}

inline std::string_view Version() { return cliprt_version(); }
inline std::string_view BuildRevision() { return cliprt_build_revision(); }

struct CpuInfo {
  cliprt_isa detected_isa;
  cliprt_isa active_isa;
  int hardware_threads;
  std::string features;
  std::string vendor;
  std::string brand;
  std::string isa_note;
};

inline CpuInfo GetCpuInfo() {
  cliprt_cpu_info info{};
  info.struct_size = sizeof(info);
  Check(cliprt_cpu_info_get(&info));
  return CpuInfo{info.detected_isa, info.active_isa, info.hardware_threads, info.features,
                 info.vendor,       info.brand,      info.isa_note};
}

inline std::string_view IsaName(cliprt_isa isa) { return cliprt_isa_name(isa); }

namespace detail {
template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};
}  // namespace detail

// Result of RunSelfTest(): whether every kernel matched its reference, and a
// line per check.
class SelfTestReport {
 public:
  bool passed() const { return cliprt_self_test_report_passed(handle_.get()) != 0; }
  std::vector<std::string> lines() const {
    std::vector<std::string> out;
    const size_t n = cliprt_self_test_report_count(handle_.get());
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      const char* line = nullptr;
      Check(cliprt_self_test_report_line(handle_.get(), i, &line));
      out.emplace_back(line);
    }
    return out;
  }

 private:
  friend SelfTestReport RunSelfTest(int, unsigned);
  explicit SelfTestReport(cliprt_self_test_report* handle) : handle_(handle) {}
  std::unique_ptr<cliprt_self_test_report,
                  detail::Deleter<cliprt_self_test_report, cliprt_self_test_report_free>>
      handle_;
};

// Runs the kernel self-test (see cliprt_self_test_run).
inline SelfTestReport RunSelfTest(int num_threads = 0, unsigned seed = 1) {
  cliprt_self_test_params params = cliprt_self_test_default_params();
  params.num_threads = num_threads;
  params.seed = seed;
  cliprt_self_test_report* report = nullptr;
  Check(cliprt_self_test_run(&params, &report));
  return SelfTestReport(report);
}

}  // namespace cliprt

#endif  // CLIPRT_CLIPRT_HPP_
