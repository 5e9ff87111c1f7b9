// Command-line parsing shared by every command.
//
// Each command declares its options (name, whether it takes a value, whether
// it may repeat); everything else is a positional argument. "--name value"
// and "--name=value" are both accepted; "--" ends the options so texts that
// start with '-' can be passed. Unknown options are usage errors.
#ifndef CLIPRT_TOOLS_CLI_ARGS_H_
#define CLIPRT_TOOLS_CLI_ARGS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cliprt_cli {

struct OptionSpec {
  std::string_view name;  // without the leading "--"
  bool takes_value = true;
  bool repeatable = false;
};

class Args {
 public:
  // Throws CliError (usage) for unknown options, missing values and repeats.
  static Args Parse(std::string_view command, std::span<char* const> argv,
                    std::span<const OptionSpec> specs);

  bool Has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
  // The last value of an option, or `fallback` when absent.
  std::string Get(std::string_view name, std::string_view fallback = "") const;
  std::optional<std::string> GetOptional(std::string_view name) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  // Integer in [min, max]; usage error naming the option otherwise.
  int64_t GetInt(std::string_view name, int64_t fallback, int64_t min, int64_t max) const;
  std::optional<double> GetDouble(std::string_view name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  bool help() const { return help_; }

 private:
  std::string command_;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
  bool help_ = false;
};

// Options every model-loading command accepts (see LoadOptions in model_options.h).
extern const OptionSpec kModelOptionSpecs[5];

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_ARGS_H_
