#include "core/cpu_features.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "core/log.h"

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#define CLIPRT_X86 1
#include <cpuid.h>
#endif

namespace cliprt {
namespace {

#if defined(CLIPRT_X86)
struct CpuidRegs {
  uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

CpuidRegs Cpuid(uint32_t leaf, uint32_t subleaf) {
  CpuidRegs r;
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

uint64_t ReadXcr0() {
  uint32_t eax, edx;
  // xgetbv with ecx=0; encoded by hand so no -mxsave flag is needed here.
  __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<uint64_t>(edx) << 32) | eax;
}

bool Bit(uint32_t reg, int bit) { return (reg >> bit) & 1u; }

CpuFeatures Detect() {
  CpuFeatures f;
  const CpuidRegs leaf0 = Cpuid(0, 0);
  const uint32_t max_leaf = leaf0.eax;
  char vendor[13] = {};
  std::memcpy(vendor + 0, &leaf0.ebx, 4);
  std::memcpy(vendor + 4, &leaf0.edx, 4);
  std::memcpy(vendor + 8, &leaf0.ecx, 4);
  f.vendor = vendor;

  const CpuidRegs ext0 = Cpuid(0x80000000u, 0);
  if (ext0.eax >= 0x80000004u) {
    char brand[49] = {};
    for (uint32_t i = 0; i < 3; ++i) {
      const CpuidRegs r = Cpuid(0x80000002u + i, 0);
      std::memcpy(brand + 16 * i + 0, &r.eax, 4);
      std::memcpy(brand + 16 * i + 4, &r.ebx, 4);
      std::memcpy(brand + 16 * i + 8, &r.ecx, 4);
      std::memcpy(brand + 16 * i + 12, &r.edx, 4);
    }
    std::string b = brand;
    const size_t first = b.find_first_not_of(' ');
    const size_t last = b.find_last_not_of(' ');
    f.brand = first == std::string::npos ? "" : b.substr(first, last - first + 1);
  }
  if (max_leaf < 1) return f;

  const CpuidRegs leaf1 = Cpuid(1, 0);
  f.sse42 = Bit(leaf1.ecx, 20);
  const bool osxsave = Bit(leaf1.ecx, 27);
  const bool cpu_avx = Bit(leaf1.ecx, 28);
  const uint64_t xcr0 = osxsave ? ReadXcr0() : 0;
  const bool os_avx = (xcr0 & 0x6) == 0x6;            // XMM + YMM state
  const bool os_avx512 = (xcr0 & 0xe6) == 0xe6;       // + opmask, ZMM_Hi256, Hi16_ZMM

  f.avx = cpu_avx && os_avx;
  f.fma = f.avx && Bit(leaf1.ecx, 12);
  f.f16c = f.avx && Bit(leaf1.ecx, 29);
  if (max_leaf >= 7) {
    const CpuidRegs leaf7 = Cpuid(7, 0);
    f.avx2 = f.avx && Bit(leaf7.ebx, 5);
    f.sha = Bit(leaf7.ebx, 29);
    f.avx512f = os_avx512 && Bit(leaf7.ebx, 16);
    f.avx512dq = f.avx512f && Bit(leaf7.ebx, 17);
    f.avx512bw = f.avx512f && Bit(leaf7.ebx, 30);
    f.avx512vl = f.avx512f && Bit(leaf7.ebx, 31);
    f.avx512_vnni = f.avx512f && Bit(leaf7.ecx, 11);
    if (leaf7.eax >= 1) {
      const CpuidRegs leaf7_1 = Cpuid(7, 1);
      f.avx_vnni = f.avx2 && Bit(leaf7_1.eax, 4);
      f.avx512_bf16 = f.avx512f && Bit(leaf7_1.eax, 5);
    }
  }
  return f;
}
#else
CpuFeatures Detect() {
  CpuFeatures f;
#if defined(__aarch64__)
  f.neon = true;  // mandatory in AArch64
#endif
  return f;
}
#endif

struct IsaState {
  IsaLevel level;
  std::string note;
};

const IsaState& ActiveIsaState() {
  static const IsaState state = [] {
    IsaState s;
    s.level = ResolveIsaLevel(DetectedIsaLevel(), std::getenv("CLIPRT_ISA"), &s.note);
    if (s.note.find("unavailable") != std::string::npos ||
        s.note.find("not a level") != std::string::npos) {
      Log(LogLevel::kWarning, s.note);
    }
    return s;
  }();
  return state;
}

}  // namespace

std::string CpuFeatures::ToString() const {
  std::string out;
  auto add = [&out](bool present, const char* name) {
    if (!present) return;
    if (!out.empty()) out += ' ';
    out += name;
  };
  add(sse42, "sse4.2");
  add(avx, "avx");
  add(avx2, "avx2");
  add(fma, "fma");
  add(f16c, "f16c");
  add(avx512f, "avx512f");
  add(avx512bw, "avx512bw");
  add(avx512vl, "avx512vl");
  add(avx512dq, "avx512dq");
  add(avx512_bf16, "avx512_bf16");
  add(avx512_vnni, "avx512_vnni");
  add(avx_vnni, "avx_vnni");
  add(sha, "sha");
  add(neon, "neon");
  return out;
}

const CpuFeatures& DetectedCpuFeatures() {
  static const CpuFeatures features = Detect();
  return features;
}

const char* IsaLevelName(IsaLevel level) {
  switch (level) {
    case IsaLevel::kScalar: return "scalar";
    case IsaLevel::kAvx2: return "avx2";
    case IsaLevel::kAvx512: return "avx512";
  }
  return "unknown";
}

StatusOr<IsaLevel> ParseIsaLevel(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (lower == "scalar") return IsaLevel::kScalar;
  if (lower == "avx2") return IsaLevel::kAvx2;
  if (lower == "avx512") return IsaLevel::kAvx512;
  // Appended piecewise: `"literal" + std::string` trips a GCC 12 -Wrestrict false positive.
  std::string message = "'";
  message += name;
  message += "' is not a level; expected scalar, avx2 or avx512";
  return InvalidArgumentError(std::move(message));
}

IsaLevel DetectedIsaLevel() {
  const CpuFeatures& f = DetectedCpuFeatures();
  if (f.avx512f && f.avx512bw && f.avx512vl && f.avx512dq && f.avx2 && f.fma && f.f16c) {
    return IsaLevel::kAvx512;
  }
  if (f.avx2 && f.fma && f.f16c) return IsaLevel::kAvx2;
  return IsaLevel::kScalar;
}

IsaLevel ResolveIsaLevel(IsaLevel detected, const char* requested, std::string* note) {
  if (requested == nullptr || requested[0] == '\0') {
    *note = "detected";
    return detected;
  }
  StatusOr<IsaLevel> parsed = ParseIsaLevel(requested);
  if (!parsed.ok()) {
    *note = "CLIPRT_ISA=" + std::string(requested) + " is not a level (scalar, avx2, avx512); using " +
            IsaLevelName(detected);
    return detected;
  }
  if (static_cast<int>(*parsed) > static_cast<int>(detected)) {
    *note = "CLIPRT_ISA=" + std::string(requested) + " unavailable on this CPU; using " +
            IsaLevelName(detected);
    return detected;
  }
  *note = "forced by CLIPRT_ISA=" + std::string(IsaLevelName(*parsed));
  return *parsed;
}

IsaLevel ActiveIsaLevel() { return ActiveIsaState().level; }

const std::string& ActiveIsaNote() { return ActiveIsaState().note; }

}  // namespace cliprt
