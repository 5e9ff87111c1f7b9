// Prompt template sets and Python str.format-compatible formatting.
#include "api/templates.h"

#include <fstream>
#include <iterator>

#include "api/builtin_templates_data.h"

namespace cliprt::api {
namespace {

template <size_t N>
std::vector<std::string> ToVector(const char* const (&items)[N]) {
  return std::vector<std::string>(std::begin(items), std::end(items));
}

// Checks a template and formats it; `label` may be empty when only checking.
StatusOr<std::string> FormatChecked(std::string_view tmpl, std::string_view label) {
  std::string out;
  out.reserve(tmpl.size() + label.size());
  bool has_field = false;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    const char c = tmpl[i];
    const char next = i + 1 < tmpl.size() ? tmpl[i + 1] : '\0';
    if (c == '{' && next == '}') {
      out += label;
      has_field = true;
      ++i;
    } else if (c == '{' && next == '{') {
      out += '{';
      ++i;
    } else if (c == '}' && next == '}') {
      out += '}';
      ++i;
    } else if (c == '{' || c == '}') {
      return InvalidArgumentError("template \"" + std::string(tmpl) + "\": stray '" + std::string(1, c) +
                                  "' at byte " + std::to_string(i) +
                                  " (only \"{}\" is a field; write \"{{\" or \"}}\" for a literal brace)");
    } else {
      out += c;
    }
  }
  if (!has_field) {
    return InvalidArgumentError("template \"" + std::string(tmpl) +
                                "\" has no \"{}\" where the label goes");
  }
  return out;
}

}  // namespace

const char* BuiltinTemplateSetName(BuiltinTemplateSet set) {
  switch (set) {
    case BuiltinTemplateSet::kImageNet80: return "imagenet80";
    case BuiltinTemplateSet::kOpenClip7: return "openclip7";
    case BuiltinTemplateSet::kSingle: return "single";
  }
  return "unknown";
}

StatusOr<BuiltinTemplateSet> ParseBuiltinTemplateSet(std::string_view name) {
  for (auto set : {BuiltinTemplateSet::kImageNet80, BuiltinTemplateSet::kOpenClip7,
                   BuiltinTemplateSet::kSingle}) {
    if (name == BuiltinTemplateSetName(set)) return set;
  }
  return InvalidArgumentError("unknown template set \"" + std::string(name) +
                              "\" (expected imagenet80, openclip7 or single)");
}

std::vector<std::string> BuiltinTemplates(BuiltinTemplateSet set) {
  switch (set) {
    case BuiltinTemplateSet::kImageNet80: return ToVector(builtin_templates::k_imagenet80);
    case BuiltinTemplateSet::kOpenClip7: return ToVector(builtin_templates::k_openclip7);
    case BuiltinTemplateSet::kSingle: return ToVector(builtin_templates::k_single);
  }
  return {};
}

StatusOr<std::string> FormatTemplate(std::string_view tmpl, std::string_view label) {
  return FormatChecked(tmpl, label);
}

StatusOr<std::vector<std::string>> ParseTemplates(std::string_view text, std::string_view source) {
  if (text.size() > kMaxTemplateFileBytes) {
    return InvalidArgumentError(std::string(source) + ": template file is " + std::to_string(text.size()) +
                                " bytes, more than the limit of " + std::to_string(kMaxTemplateFileBytes));
  }
  std::vector<std::string> out;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank
    auto checked = FormatChecked(line, "");
    if (!checked.ok()) {
      return InvalidArgumentError(std::string(source) + ":" + std::to_string(line_no) + ": " +
                                  checked.status().message());
    }
    if (out.size() == kMaxTemplates) {
      return InvalidArgumentError(std::string(source) + ":" + std::to_string(line_no) + ": more than " +
                                  std::to_string(kMaxTemplates) + " templates");
    }
    out.emplace_back(line);
  }
  if (out.empty()) return InvalidArgumentError(std::string(source) + ": no templates (every line is blank)");
  return out;
}

StatusOr<std::vector<std::string>> LoadTemplatesFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open template file " + path);
  std::string text;
  char buf[1 << 14];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxTemplateFileBytes) {
      return InvalidArgumentError(path + ": template file is larger than the limit of " +
                                  std::to_string(kMaxTemplateFileBytes) + " bytes");
    }
  }
  if (in.bad()) return IoError("error reading template file " + path);
  return ParseTemplates(text, path);
}

StatusOr<std::vector<std::string>> ExpandPrompts(std::span<const std::string> labels,
                                                 std::span<const std::string> templates) {
  if (labels.empty()) return InvalidArgumentError("zero-shot prompts: no labels");
  if (templates.empty()) return InvalidArgumentError("zero-shot prompts: no templates");
  for (size_t c = 0; c < labels.size(); ++c) {
    if (labels[c].empty()) return InvalidArgumentError("zero-shot prompts: label " + std::to_string(c) + " is empty");
  }
  std::vector<std::string> out;
  out.reserve(labels.size() * templates.size());
  for (size_t c = 0; c < labels.size(); ++c) {
    for (size_t t = 0; t < templates.size(); ++t) {
      auto s = FormatChecked(templates[t], labels[c]);
      if (!s.ok()) return s.status().WithContext("zero-shot prompts: template " + std::to_string(t));
      out.push_back(std::move(s).value());
    }
  }
  return out;
}

}  // namespace cliprt::api
