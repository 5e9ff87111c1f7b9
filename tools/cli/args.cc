#include "args.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "cli_error.h"

namespace cliprt_cli {

const OptionSpec kModelOptionSpecs[5] = {
    {"tokenizer"}, {"preset"}, {"threads"}, {"precision"}, {"isa"},
};

Args Args::Parse(std::string_view command, std::span<char* const> argv,
                 std::span<const OptionSpec> specs) {
  Args args;
  args.command_ = std::string(command);
  bool options_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string_view arg = argv[i];
    if (options_done || arg.size() < 2 || arg[0] != '-' || (arg[1] != '-' && arg != "-h")) {
      args.positionals_.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      args.help_ = true;
      continue;
    }
    std::string_view name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (const size_t eq = name.find('='); eq != std::string_view::npos) {
      inline_value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : specs) {
      if (s.name == name) spec = &s;
    }
    if (spec == nullptr) {
      UsageError("unknown option '--" + std::string(name) + "' (try cliprt " + args.command_ +
                 " --help)");
    }
    std::string value;
    if (spec->takes_value) {
      if (inline_value) {
        value = *inline_value;
      } else if (i + 1 < argv.size()) {
        value = argv[++i];
      } else {
        UsageError("option '--" + std::string(name) + "' needs a value");
      }
    } else if (inline_value) {
      UsageError("option '--" + std::string(name) + "' takes no value");
    }
    std::vector<std::string>& slot = args.values_[std::string(name)];
    if (!slot.empty() && !spec->repeatable) {
      UsageError("option '--" + std::string(name) + "' given more than once");
    }
    slot.push_back(std::move(value));
  }
  return args;
}

std::string Args::Get(std::string_view name, std::string_view fallback) const {
  const auto it = values_.find(std::string(name));
  return it == values_.end() ? std::string(fallback) : it->second.back();
}

std::optional<std::string> Args::GetOptional(std::string_view name) const {
  const auto it = values_.find(std::string(name));
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::GetAll(std::string_view name) const {
  const auto it = values_.find(std::string(name));
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

int64_t Args::GetInt(std::string_view name, int64_t fallback, int64_t min, int64_t max) const {
  const std::optional<std::string> text = GetOptional(name);
  if (!text) return fallback;
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text->c_str(), &end, 10);
  if (text->empty() || end != text->c_str() + text->size() || errno != 0 || value < min ||
      value > max) {
    UsageError("--" + std::string(name) + " wants an integer in " + std::to_string(min) + ".." +
               std::to_string(max) + ", got '" + *text + "'");
  }
  return value;
}

std::optional<double> Args::GetDouble(std::string_view name) const {
  const std::optional<std::string> text = GetOptional(name);
  if (!text) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text->c_str(), &end);
  if (text->empty() || end != text->c_str() + text->size() || errno != 0 || !std::isfinite(value)) {
    UsageError("--" + std::string(name) + " wants a finite number, got '" + *text + "'");
  }
  return value;
}

}  // namespace cliprt_cli
