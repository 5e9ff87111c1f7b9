// Saved results: values and provenance in one JSON document.
//
//   {"schema_version": 1, "kind": "embedding" | "similarity" | "classification" | "search",
//    ...values (see docs/provenance.md, "Result documents")...,
//    "provenance": {...}}
//
// Floats are written with %.9g, so a parsed result holds bit-identical
// values. Search hit ids are written as decimal strings (uint64 does not fit
// a JSON number exactly in every reader).
#pragma once

#include <string>
#include <string_view>

#include "api/results.h"
#include "core/status.h"

namespace cliprt::api {

std::string ToJson(const EmbeddingResult& result);
std::string ToJson(const SimilarityResult& result);
std::string ToJson(const ClassificationResult& result);
std::string ToJson(const SearchResult& result);

// "embedding" | "similarity" | "classification" | "search" of a saved document.
StatusOr<std::string> ResultKindOfJson(std::string_view json);

StatusOr<EmbeddingResult> ParseEmbeddingResultJson(std::string_view json);
StatusOr<SimilarityResult> ParseSimilarityResultJson(std::string_view json);
StatusOr<ClassificationResult> ParseClassificationResultJson(std::string_view json);
StatusOr<SearchResult> ParseSearchResultJson(std::string_view json);

}  // namespace cliprt::api
