// Prompt templates for zero-shot classification: the built-in sets shipped
// in models/templates/ (generated from open_clip 3.3.0 by
// tools/fixtures/api_templates.py) and user sets read from a file.
//
// A template is formatted like Python's str.format with one positional
// argument, as open_clip does (template.format(classname)): every "{}" is
// replaced by the label, "{{" and "}}" are literal braces; any other brace
// is an error (Python would raise too, or do something a label list does
// not mean).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cliprt::api {

enum class BuiltinTemplateSet {
  kImageNet80,  // CLIP paper's 80 ImageNet templates (open_clip OPENAI_IMAGENET_TEMPLATES)
  kOpenClip7,   // the 7 forward-selected templates (open_clip SIMPLE_IMAGENET_TEMPLATES)
  kSingle,      // "a photo of a {}."
};

// "imagenet80" | "openclip7" | "single" — also the file stem in models/templates/.
const char* BuiltinTemplateSetName(BuiltinTemplateSet set);
StatusOr<BuiltinTemplateSet> ParseBuiltinTemplateSet(std::string_view name);

// The set compiled into the library (identical to models/templates/<name>.txt).
std::vector<std::string> BuiltinTemplates(BuiltinTemplateSet set);

// Limits on user template files (a template file is small; a huge one is a mistake).
inline constexpr size_t kMaxTemplateFileBytes = size_t{1} << 20;
inline constexpr size_t kMaxTemplates = 10000;

// One template per line (UTF-8; "\n" or "\r\n"); blank lines are skipped;
// every other line must contain "{}" and format cleanly — otherwise an
// error naming `source` and the 1-based line number. At least one template.
StatusOr<std::vector<std::string>> ParseTemplates(std::string_view text, std::string_view source);
StatusOr<std::vector<std::string>> LoadTemplatesFile(const std::string& path);

// str.format(label) for one template (see the file comment).
StatusOr<std::string> FormatTemplate(std::string_view tmpl, std::string_view label);

// Every prompt, class-major: prompts[c·T + t] = templates[t] formatted with
// labels[c] (the order open_clip encodes them and ZeroShotClassifier::Build
// expects). Empty labels/templates, an empty label or a bad template is an
// error naming it.
StatusOr<std::vector<std::string>> ExpandPrompts(std::span<const std::string> labels,
                                                 std::span<const std::string> templates);

}  // namespace cliprt::api
