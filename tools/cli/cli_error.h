// Errors the CLI reports: a one-line message and an exit status.
//
// Commands throw CliError for bad arguments and unreadable inputs; main()
// prints "cliprt <command>: <message>" and exits with the status. Library
// failures arrive as cliprt::Error and exit 1.
#ifndef CLIPRT_TOOLS_CLI_CLI_ERROR_H_
#define CLIPRT_TOOLS_CLI_CLI_ERROR_H_

#include <stdexcept>
#include <string>

namespace cliprt_cli {

// Exit statuses (documented in docs/cli.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // an input or the library failed
inline constexpr int kExitUsage = 2;     // bad command line
inline constexpr int kExitDiffers = 3;   // replay: the recomputed result differs

class CliError : public std::runtime_error {
 public:
  CliError(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

[[noreturn]] inline void UsageError(const std::string& message) {
  throw CliError(kExitUsage, message);
}
[[noreturn]] inline void InputError(const std::string& message) {
  throw CliError(kExitFailure, message);
}

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_CLI_ERROR_H_
