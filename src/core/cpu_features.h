// What the processor can run, detected once (CPUID + XGETBV on x86-64), and
// the ISA level the kernels dispatch to.
//
// The OS must also save the wider registers: AVX needs XCR0 bits 1-2, AVX-512
// additionally bits 5-7. A CPU that reports AVX-512 under an OS that does not
// enable it is treated as not having it.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace cliprt {

struct CpuFeatures {
  bool sse42 = false;
  bool avx = false;
  bool avx2 = false;
  bool fma = false;
  bool f16c = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512dq = false;
  bool avx512_bf16 = false;
  bool avx512_vnni = false;
  bool avx_vnni = false;
  bool sha = false;
  bool neon = false;  // arm64 only
  std::string vendor;  // CPUID vendor string, e.g. "AuthenticAMD"; empty off x86
  std::string brand;   // CPUID brand string; empty off x86

  // Space-separated names of the features present, e.g. "avx2 fma f16c ...".
  std::string ToString() const;
};

// Detected once on first use (thread-safe), then cached.
const CpuFeatures& DetectedCpuFeatures();

// Kernel levels, ordered: a higher level implies every lower one is usable.
enum class IsaLevel : int {
  kScalar = 0,  // portable C++, no ISA flags: the reference for all others
  kAvx2 = 1,    // AVX2 + FMA + F16C
  kAvx512 = 2,  // AVX-512 F/BW/VL/DQ (+ BF16/VNNI used when present)
};

const char* IsaLevelName(IsaLevel level);

// "scalar" | "avx2" | "avx512" (case-insensitive) → level.
StatusOr<IsaLevel> ParseIsaLevel(std::string_view name);

// The highest level the detected features and OS support.
IsaLevel DetectedIsaLevel();

// Level kernels use: DetectedIsaLevel(), lowered by the CLIPRT_ISA environment
// variable when set (read once). Asking for a level the machine lacks, or an
// unparseable name, falls back to the detected level and is reported through
// ActiveIsaNote() and the log callback; it never raises the level.
IsaLevel ActiveIsaLevel();

// Why ActiveIsaLevel() has its value, e.g. "detected" or
// "forced by CLIPRT_ISA=scalar" or "CLIPRT_ISA=avx512 unavailable; using avx2".
const std::string& ActiveIsaNote();

// Pure decision function behind ActiveIsaLevel(), exposed for tests:
// `requested` is the CLIPRT_ISA value (nullptr when unset).
IsaLevel ResolveIsaLevel(IsaLevel detected, const char* requested, std::string* note);

}  // namespace cliprt
