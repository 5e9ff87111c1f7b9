// Replay: recompute a saved result (api/results_json.h) from the same inputs
// and report whether it is bit-identical, or exactly what differs
// (api/replay_diff.h): checkpoint hash, preprocessing, tokenizer, templates,
// precision, ISA, values.
//
// The model is reloaded as the provenance describes it: the checkpoint from
// the recorded file paths (their folder when the weights sit in an HF or
// open_clip folder), the recorded tokenizer vocabulary, precision,
// preprocessing preset and truncation policy. Every recorded choice can be
// overridden (e.g. a moved checkpoint); a changed file then shows up as a
// differing SHA-256, never as a silent mismatch.
#pragma once

#include <string>
#include <vector>

#include "api/replay_diff.h"
#include "core/status.h"

namespace cliprt::api {

struct ReplayOptions {
  std::string model_path;      // "" → from the saved provenance
  std::string tokenizer_path;  // "" → from the saved provenance
  int threads = 0;             // 0 → the saved thread count (results do not depend on it)
};

struct ReplayOutcome {
  std::string kind;          // "embedding" | "classification" | "similarity" | "search"
  std::string model_path;    // what was loaded
  ReplayReport report;
};

// `inputs`: the image files (image embeddings, classifications) or the texts
// (text embeddings) the saved result was computed from, in the same order.
StatusOr<ReplayOutcome> Replay(const std::string& saved_json, const std::vector<std::string>& inputs,
                               const ReplayOptions& options = ReplayOptions());

}  // namespace cliprt::api
