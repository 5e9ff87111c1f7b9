// Minimal C++ consumer of an installed cliprt.
#include <cliprt/cliprt.hpp>

#include <cstdio>
#include <string>

int main() {
  try {
    const cliprt::SelfTestReport report = cliprt::RunSelfTest(1);
    std::printf("C++ consumer: cliprt %s, self-test %s\n", std::string(cliprt::Version()).c_str(),
                report.passed() ? "passed" : "FAILED");
    return report.passed() ? 0 : 1;
  } catch (const cliprt::Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
