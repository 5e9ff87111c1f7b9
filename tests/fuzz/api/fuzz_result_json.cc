// libFuzzer target: saved result documents (values + provenance JSON). A
// document that parses must write back to JSON that parses to the same result.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "api/results_json.h"

namespace {

template <typename T, typename Parse>
void RoundTrip(std::string_view text, Parse parse) {
  auto r = parse(text);
  if (!r.ok()) return;
  auto again = parse(cliprt::api::ToJson(*r));
  if (!again.ok()) std::abort();
  // NaN values compare unequal; compare the re-serialized text instead.
  if (cliprt::api::ToJson(*again) != cliprt::api::ToJson(*r)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cliprt::api;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  RoundTrip<EmbeddingResult>(text, ParseEmbeddingResultJson);
  RoundTrip<SimilarityResult>(text, ParseSimilarityResultJson);
  RoundTrip<ClassificationResult>(text, ParseClassificationResultJson);
  RoundTrip<SearchResult>(text, ParseSearchResultJson);
  return 0;
}
