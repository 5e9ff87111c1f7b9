// C API: status strings, version, logging, CPU info and the kernel self-test.
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "c_api/error.h"
#include "cliprt/cliprt.h"
#include "core/build_info.h"
#include "core/cpu_features.h"
#include "core/log.h"
#include "kernels/self_test.h"

struct cliprt_self_test_report {
  std::vector<cliprt::kernels::SelfTestCheck> checks;
};

extern "C" {

const char* cliprt_status_string(cliprt_status status) {
  const int code = static_cast<int>(status);
  if (code < 0 || code > CLIPRT_INTERNAL) return "UNKNOWN";
  return cliprt::StatusCodeName(static_cast<cliprt::StatusCode>(code));
}

const char* cliprt_last_error_message(void) { return cliprt::c_api::LastErrorMessage(); }

const char* cliprt_version(void) { return CLIPRT_VERSION_STRING; }

const char* cliprt_build_revision(void) { return cliprt::BuildGitRevision(); }

void cliprt_log_set(cliprt_log_callback callback, void* user_data) {
  // cliprt_log_level and LogLevel share values; the callback types differ
  // only in the enum vs int first parameter, which share a representation.
  cliprt::SetLogCallback(reinterpret_cast<cliprt::LogCallback>(callback), user_data);
}

const char* cliprt_isa_name(cliprt_isa isa) {
  switch (isa) {
    case CLIPRT_ISA_SCALAR: return "scalar";
    case CLIPRT_ISA_AVX2: return "avx2";
    case CLIPRT_ISA_AVX512: return "avx512";
  }
  return "unknown";
}

cliprt_status cliprt_cpu_info_get(cliprt_cpu_info* info_out) {
  CLIPRT_C_API_GUARD({
    if (info_out == nullptr) return cliprt::c_api::InvalidArgument("cliprt_cpu_info_get", "info_out is NULL");
    const uint32_t size = info_out->struct_size;
    if (size < sizeof(cliprt_cpu_info)) {
      // Version 1 of the struct is the current one; nothing smaller exists.
      return cliprt::c_api::InvalidArgument(
          "cliprt_cpu_info_get", "info_out->struct_size is smaller than sizeof(cliprt_cpu_info)");
    }
    const cliprt::CpuFeatures& f = cliprt::DetectedCpuFeatures();
    static const std::string features = f.ToString();
    cliprt_cpu_info info;
    info.struct_size = sizeof(cliprt_cpu_info);
    info.detected_isa = static_cast<cliprt_isa>(cliprt::DetectedIsaLevel());
    info.active_isa = static_cast<cliprt_isa>(cliprt::ActiveIsaLevel());
    const unsigned hw = std::thread::hardware_concurrency();
    info.hardware_threads = hw == 0 ? 1 : static_cast<int32_t>(hw);
    info.features = features.c_str();
    info.vendor = f.vendor.c_str();
    info.brand = f.brand.c_str();
    info.isa_note = cliprt::ActiveIsaNote().c_str();
    *info_out = info;
    return CLIPRT_OK;
  })
}

cliprt_self_test_params cliprt_self_test_default_params(void) {
  cliprt_self_test_params params;
  params.struct_size = sizeof(cliprt_self_test_params);
  params.num_threads = 0;
  params.seed = 1;
  return params;
}

cliprt_status cliprt_self_test_run(const cliprt_self_test_params* params,
                                   cliprt_self_test_report** report_out) {
  CLIPRT_C_API_GUARD({
    if (report_out == nullptr) {
      return cliprt::c_api::InvalidArgument("cliprt_self_test_run", "report_out is NULL");
    }
    cliprt_self_test_params p = cliprt_self_test_default_params();
    if (params != nullptr) {
      if (params->struct_size < sizeof(uint32_t) || params->struct_size > sizeof(p)) {
        return cliprt::c_api::InvalidArgument("cliprt_self_test_run",
                                              "params->struct_size is not a known size");
      }
      // Copy only the fields the caller's version of the struct has.
      std::memcpy(&p, params, params->struct_size);
    }
    auto report = std::make_unique<cliprt_self_test_report>();
    const cliprt::Status status = cliprt::kernels::RunSelfTest(p.num_threads, p.seed, &report->checks);
    if (!status.ok()) return cliprt::c_api::ReturnStatus(status);
    *report_out = report.release();
    return CLIPRT_OK;
  })
}

int cliprt_self_test_report_passed(const cliprt_self_test_report* report) {
  if (report == nullptr) return 0;
  for (const auto& check : report->checks) {
    if (!check.passed) return 0;
  }
  return 1;
}

size_t cliprt_self_test_report_count(const cliprt_self_test_report* report) {
  return report == nullptr ? 0 : report->checks.size();
}

cliprt_status cliprt_self_test_report_line(const cliprt_self_test_report* report, size_t index,
                                           const char** line_out) {
  if (report == nullptr || line_out == nullptr) {
    return cliprt::c_api::InvalidArgument("cliprt_self_test_report_line",
                                          "report and line_out must not be NULL");
  }
  if (index >= report->checks.size()) {
    return cliprt::c_api::ReturnStatus(cliprt::OutOfRangeError(
        "cliprt_self_test_report_line: index " + std::to_string(index) + " >= count " +
        std::to_string(report->checks.size())));
  }
  *line_out = report->checks[index].line.c_str();
  return CLIPRT_OK;
}

void cliprt_self_test_report_free(cliprt_self_test_report* report) { delete report; }

}  // extern "C"
