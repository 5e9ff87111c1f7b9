// cliprt selfcheck / cliprt version.
#include <cstdio>

#include "args.h"
#include "cli_error.h"
#include "commands.h"
#include "cliprt/cliprt.hpp"

namespace cliprt_cli {
namespace {

constexpr const char* kSelfCheckHelp =
    "usage: cliprt selfcheck [--threads N]\n"
    "\n"
    "Prints the CPU's features and the ISA the kernels use, then tests every\n"
    "kernel at every supported ISA level against its scalar reference.\n"
    "Exit status 0 when every check passes, 1 otherwise.\n"
    "\n"
    "example:\n"
    "  cliprt selfcheck --threads 2\n";

}  // namespace

int RunVersion(Argv argv) {
  const Args args = Args::Parse("version", argv, {});
  if (args.help()) return std::puts("usage: cliprt version\n\nexample:\n  cliprt version"), kExitOk;
  std::printf("cliprt %s (revision %s)\n", cliprt_version(), cliprt_build_revision());
  return kExitOk;
}

int RunSelfCheck(Argv argv) {
  const OptionSpec specs[] = {{"threads"}, {"isa"}};
  const Args args = Args::Parse("selfcheck", argv, specs);
  if (args.help()) return std::fputs(kSelfCheckHelp, stdout), kExitOk;
  if (!args.positionals().empty()) UsageError("unexpected argument '" + args.positionals()[0] + "'");
  const int threads = static_cast<int>(args.GetInt("threads", 0, 0, 1024));
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
  return report.passed() ? kExitOk : kExitFailure;
}

}  // namespace cliprt_cli
