// C API: replay comparison of a saved result document with a recomputed one
// (api/replay_diff.h does the field-by-field work).
#include <string>
#include <string_view>
#include <vector>

#include "api/replay.h"
#include "api/replay_diff.h"
#include "api/results_json.h"
#include "c_api/handles.h"

using cliprt::Status;
using cliprt::StatusOr;
using cliprt::c_api::RequireNonNull;
using cliprt::c_api::Run;

namespace {

// Parses both documents as results of `kind` and compares them.
template <typename Result>
StatusOr<cliprt::api::ReplayReport> Compare(StatusOr<Result> (*parse)(std::string_view), std::string_view saved,
                                            std::string_view recomputed) {
  StatusOr<Result> a = parse(saved);
  if (!a.ok()) return a.status().WithContext("saved result");
  StatusOr<Result> b = parse(recomputed);
  if (!b.ok()) return b.status().WithContext("recomputed result");
  return cliprt::api::DiffResults(*a, *b);
}

StatusOr<cliprt::api::ReplayReport> CompareDocuments(std::string_view saved, std::string_view recomputed) {
  StatusOr<std::string> kind = cliprt::api::ResultKindOfJson(saved);
  if (!kind.ok()) return kind.status().WithContext("saved result");
  StatusOr<std::string> other = cliprt::api::ResultKindOfJson(recomputed);
  if (!other.ok()) return other.status().WithContext("recomputed result");
  if (*kind != *other) {
    return cliprt::InvalidArgumentError("the saved result is a \"" + *kind + "\" document, the recomputed one a \"" +
                                        *other + "\" document");
  }
  if (*kind == "embedding") return Compare(&cliprt::api::ParseEmbeddingResultJson, saved, recomputed);
  if (*kind == "similarity") return Compare(&cliprt::api::ParseSimilarityResultJson, saved, recomputed);
  if (*kind == "classification") return Compare(&cliprt::api::ParseClassificationResultJson, saved, recomputed);
  if (*kind == "search") return Compare(&cliprt::api::ParseSearchResultJson, saved, recomputed);
  return cliprt::UnsupportedError("result kind \"" + *kind + "\" cannot be compared");
}

// Hands the report to the caller with the differences in one list.
Status EmitReport(cliprt::api::ReplayReport report, cliprt_replay_report** out) {
  auto h = std::make_unique<cliprt_replay_report>();
  h->differences = report.provenance;
  h->differences.insert(h->differences.end(), report.result.begin(), report.result.end());
  h->text = report.ToString();
  h->report = std::move(report);
  *out = h.release();
  return Status::Ok();
}

}  // namespace

extern "C" {

cliprt_replay_params cliprt_replay_default_params(void) {
  cliprt_replay_params p;
  p.struct_size = sizeof(cliprt_replay_params);
  p.model_path = nullptr;
  p.tokenizer_path = nullptr;
  p.num_threads = 0;
  return p;
}

cliprt_status cliprt_replay_run(const char* saved_json, size_t saved_size, const char* const* inputs,
                                size_t num_inputs, const cliprt_replay_params* params,
                                cliprt_replay_report** report_out) {
  return Run("cliprt_replay_run", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(saved_json, "saved_json"));
    RETURN_IF_ERROR(RequireNonNull(report_out, "report_out"));
    cliprt_replay_params p = cliprt_replay_default_params();
    RETURN_IF_ERROR(cliprt::c_api::ReadParams(params, "params", &p));
    if (p.num_threads < 0 || p.num_threads > 1024) {
      return cliprt::InvalidArgumentError("params->num_threads is " + std::to_string(p.num_threads) +
                                          ", expected 0 (as recorded) or 1..1024");
    }
    ASSIGN_OR_RETURN(std::vector<std::string> input_list,
                     cliprt::c_api::CopyStrings(inputs, num_inputs, "inputs"));
    cliprt::api::ReplayOptions options;
    options.model_path = p.model_path ? p.model_path : "";
    options.tokenizer_path = p.tokenizer_path ? p.tokenizer_path : "";
    options.threads = p.num_threads;
    ASSIGN_OR_RETURN(cliprt::api::ReplayOutcome outcome,
                     cliprt::api::Replay(std::string(saved_json, saved_size), input_list, options));
    return EmitReport(std::move(outcome.report), report_out);
  });
}

cliprt_status cliprt_replay_compare(const char* saved_json, size_t saved_size, const char* recomputed_json,
                                    size_t recomputed_size, cliprt_replay_report** report_out) {
  return Run("cliprt_replay_compare", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(saved_json, "saved_json"));
    RETURN_IF_ERROR(RequireNonNull(recomputed_json, "recomputed_json"));
    RETURN_IF_ERROR(RequireNonNull(report_out, "report_out"));
    ASSIGN_OR_RETURN(cliprt::api::ReplayReport report,
                     CompareDocuments(std::string_view(saved_json, saved_size),
                                      std::string_view(recomputed_json, recomputed_size)));
    return EmitReport(std::move(report), report_out);
  });
}

cliprt_status cliprt_replay_report_summary(const cliprt_replay_report* report, cliprt_replay_summary* summary_out) {
  return Run("cliprt_replay_report_summary", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(report, "report"));
    RETURN_IF_ERROR(cliprt::c_api::CheckOutStructSize(summary_out, "summary_out"));
    const cliprt::api::ReplayReport& r = report->report;
    cliprt_replay_summary s;
    s.struct_size = sizeof(cliprt_replay_summary);
    s.identical = r.identical() ? 1 : 0;
    s.substantively_identical = r.substantively_identical() ? 1 : 0;
    s.num_differences = report->differences.size();
    s.values_compared = r.values.count;
    s.values_differing = r.values.differing;
    s.max_abs_diff = r.values.max_abs_diff;
    s.max_abs_saved = r.values.max_abs_saved;
    s.text = report->text.c_str();
    cliprt::c_api::CopyOut(s, summary_out);
    return Status::Ok();
  });
}

cliprt_status cliprt_replay_report_difference(const cliprt_replay_report* report, size_t index,
                                              cliprt_difference* difference_out) {
  return Run("cliprt_replay_report_difference", [&]() -> Status {
    RETURN_IF_ERROR(RequireNonNull(report, "report"));
    RETURN_IF_ERROR(cliprt::c_api::CheckOutStructSize(difference_out, "difference_out"));
    if (index >= report->differences.size()) {
      return cliprt::OutOfRangeError("difference " + std::to_string(index) + " >= number of differences " +
                                     std::to_string(report->differences.size()));
    }
    const cliprt::api::Difference& d = report->differences[index];
    cliprt_difference out;
    out.struct_size = sizeof(cliprt_difference);
    out.field = d.field.c_str();
    out.saved = d.saved.c_str();
    out.recomputed = d.recomputed.c_str();
    out.substantive = d.substantive ? 1 : 0;
    cliprt::c_api::CopyOut(out, difference_out);
    return Status::Ok();
  });
}

void cliprt_replay_report_free(cliprt_replay_report* report) { delete report; }

}  // extern "C"
