// cliprt — command-line tool. Built only on the public C++ API.
//
//   cliprt selfcheck [--threads N]   CPU features, active ISA, kernel self-test
//   cliprt version                   library version and build revision
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "cliprt/cliprt.hpp"

namespace {

constexpr const char* kUsage =
    "usage: cliprt <command> [options]\n"
    "\n"
    "commands:\n"
    "  selfcheck [--threads N]  print the CPU's features and the ISA the kernels use,\n"
    "                           then test every kernel against its scalar reference\n"
    "  version                  print the library version and build revision\n"
    "\n"
    "environment:\n"
    "  CLIPRT_ISA=scalar|avx2|avx512  force a lower kernel level\n"
    "\n"
    "example:\n"
    "  cliprt selfcheck --threads 2\n";

int Version() {
  std::printf("cliprt %s (revision %s)\n", cliprt_version(), cliprt_build_revision());
  return 0;
}

int SelfCheck(int argc, char** argv) {
  int threads = 0;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      char* end = nullptr;
      const long value = std::strtol(argv[++i], &end, 10);
      if (end == argv[i] || *end != '\0' || value < 0 || value > 1024) {
        std::fprintf(stderr, "cliprt selfcheck: --threads wants an integer in 0..1024, got '%s'\n",
                     argv[i]);
        return 2;
      }
      threads = static_cast<int>(value);
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else {
      std::fprintf(stderr, "cliprt selfcheck: unknown option '%s'\n", argv[i]);
      return 2;
    }
  }
  const cliprt::CpuInfo cpu = cliprt::GetCpuInfo();
  std::printf("cliprt %s (revision %s)\n", cliprt_version(), cliprt_build_revision());
  std::printf("cpu:          %s (%s)\n", cpu.brand.empty() ? "unknown" : cpu.brand.c_str(),
              cpu.vendor.c_str());
  std::printf("features:     %s\n", cpu.features.c_str());
  std::printf("threads:      %d hardware\n", cpu.hardware_threads);
  std::printf("detected ISA: %s\n", std::string(cliprt::IsaName(cpu.detected_isa)).c_str());
  std::printf("active ISA:   %s (%s)\n", std::string(cliprt::IsaName(cpu.active_isa)).c_str(),
              cpu.isa_note.c_str());
  const cliprt::SelfTestReport report = cliprt::RunSelfTest(threads);
  for (const std::string& line : report.lines()) std::printf("  %s\n", line.c_str());
  std::printf("kernel self-test: %s\n", report.passed() ? "PASSED" : "FAILED");
  return report.passed() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string_view command = argv[1];
  try {
    if (command == "selfcheck") return SelfCheck(argc - 2, argv + 2);
    if (command == "version" || command == "--version") return Version();
    if (command == "--help" || command == "-h" || command == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  } catch (const cliprt::Error& e) {
    std::fprintf(stderr, "cliprt %s: %s\n", argv[1], e.what());
    return 1;
  }
  std::fprintf(stderr, "cliprt: unknown command '%s' (try cliprt --help)\n", argv[1]);
  return 2;
}
