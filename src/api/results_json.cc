// Saved result documents: values + provenance (docs/provenance.md).
#include "api/results_json.h"

#include <charconv>

#include "api/json_fields.h"
#include "api/provenance_json.h"

namespace cliprt::api {
namespace {

using json::ObjectWriter;

constexpr int kResultSchemaVersion = kProvenanceSchemaVersion;

ObjectWriter Header(const char* kind) {
  ObjectWriter w;
  w.Int("schema_version", kResultSchemaVersion).Str("kind", kind);
  return w;
}

std::string IntArray(const std::vector<int32_t>& v) {
  std::string a = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) a += ',';
    a += std::to_string(v[i]);
  }
  return a + "]";
}

std::string SensitivityJson(const PromptSensitivity& s) {
  return ObjectWriter()
      .Raw("template_top1", IntArray(s.template_top1))
      .Floats("template_top_class_prob", s.template_top_class_prob.data(), s.template_top_class_prob.size())
      .Float("agreement_rate", s.agreement_rate)
      .Float("top_class_prob_min", s.top_class_prob_min)
      .Float("top_class_prob_max", s.top_class_prob_max)
      .Float("spread", s.spread)
      .Int("distinct_top1", s.distinct_top1)
      .Done();
}

std::string ImageJson(const ImageClassification& c) {
  std::string top = "[";
  for (size_t i = 0; i < c.top_k.size(); ++i) {
    if (i) top += ',';
    top += ObjectWriter()
               .Int("label", c.top_k[i].label)
               .Float("probability", c.top_k[i].probability)
               .Float("logit", c.top_k[i].logit)
               .Done();
  }
  top += ']';
  return ObjectWriter()
      .Floats("logits", c.logits.data(), c.logits.size())
      .Floats("probabilities", c.probabilities.data(), c.probabilities.size())
      .Raw("top_k", top)
      .Bool("abstained", c.abstained)
      .Raw("sensitivity", SensitivityJson(c.sensitivity))
      .Done();
}

// Parses the document, checks schema_version and kind, returns the root.
StatusOr<io::JsonValue> ParseDocument(std::string_view text, std::string_view kind) {
  ASSIGN_OR_RETURN(io::JsonValue root, io::ParseJson(text, "result JSON"));
  RETURN_IF_ERROR(json::ExpectObject(root, "result"));
  int64_t version = 0;
  RETURN_IF_ERROR(json::ReadInt(root, "schema_version", "result", &version));
  if (version < 1 || version > kResultSchemaVersion) {
    return UnsupportedError("result.schema_version: " + std::to_string(version) +
                            " is not supported; this build of cliprt reads versions 1.." +
                            std::to_string(kResultSchemaVersion) + " (a newer cliprt wrote it?)");
  }
  std::string found;
  RETURN_IF_ERROR(json::ReadStr(root, "kind", "result", &found));
  if (found != kind) {
    return InvalidArgumentError("result.kind is \"" + found + "\", expected \"" + std::string(kind) + "\"");
  }
  return root;
}

Status ReadProvenance(const io::JsonValue& root, Provenance* out) {
  ASSIGN_OR_RETURN(const io::JsonValue* p, json::Member(root, "provenance", "result"));
  ASSIGN_OR_RETURN(*out, ProvenanceFromJsonValue(*p, "result.provenance"));
  return Status::Ok();
}

Status CheckCount(size_t found, int64_t expected, const std::string& where) {
  if (expected < 0 || static_cast<int64_t>(found) != expected) {
    return InvalidArgumentError(where + ": holds " + std::to_string(found) + " values, expected " +
                                std::to_string(expected));
  }
  return Status::Ok();
}

// rows·cols with an overflow check (both already non-negative).
StatusOr<int64_t> Product(int64_t a, int64_t b, const std::string& where) {
  if (a < 0 || b < 0 || (b != 0 && a > (int64_t{1} << 40) / b)) {
    return InvalidArgumentError(where + ": sizes " + std::to_string(a) + " x " + std::to_string(b) +
                                " are negative or too large");
  }
  return a * b;
}

Status ReadInt32Array(const io::JsonValue& obj, std::string_view key, const std::string& where,
                      std::vector<int32_t>* out) {
  ASSIGN_OR_RETURN(const auto* arr, json::ReadArray(obj, key, where));
  out->clear();
  for (size_t i = 0; i < arr->size(); ++i) {
    const io::JsonValue& v = (*arr)[i];
    if (!v.is_int() || v.int_value() < INT32_MIN || v.int_value() > INT32_MAX) {
      return InvalidArgumentError(json::Path(json::Path(where, key), i) + ": expected an int32");
    }
    out->push_back(static_cast<int32_t>(v.int_value()));
  }
  return Status::Ok();
}

Status ParseImage(const io::JsonValue& o, const std::string& w, ImageClassification* c) {
  RETURN_IF_ERROR(json::ExpectObject(o, w));
  RETURN_IF_ERROR(json::ReadFloats(o, "logits", w, &c->logits));
  RETURN_IF_ERROR(json::ReadFloats(o, "probabilities", w, &c->probabilities));
  ASSIGN_OR_RETURN(const auto* top, json::ReadArray(o, "top_k", w));
  for (size_t i = 0; i < top->size(); ++i) {
    const std::string tw = json::Path(json::Path(w, "top_k"), i);
    LabelScore s;
    RETURN_IF_ERROR(json::ExpectObject((*top)[i], tw));
    RETURN_IF_ERROR(json::ReadInt32((*top)[i], "label", tw, &s.label));
    RETURN_IF_ERROR(json::ReadFloat((*top)[i], "probability", tw, &s.probability));
    RETURN_IF_ERROR(json::ReadFloat((*top)[i], "logit", tw, &s.logit));
    c->top_k.push_back(s);
  }
  RETURN_IF_ERROR(json::ReadBool(o, "abstained", w, &c->abstained));
  ASSIGN_OR_RETURN(const io::JsonValue* s, json::Member(o, "sensitivity", w));
  const std::string sw = json::Path(w, "sensitivity");
  RETURN_IF_ERROR(json::ExpectObject(*s, sw));
  PromptSensitivity& p = c->sensitivity;
  RETURN_IF_ERROR(ReadInt32Array(*s, "template_top1", sw, &p.template_top1));
  RETURN_IF_ERROR(json::ReadFloats(*s, "template_top_class_prob", sw, &p.template_top_class_prob));
  RETURN_IF_ERROR(json::ReadFloat(*s, "agreement_rate", sw, &p.agreement_rate));
  RETURN_IF_ERROR(json::ReadFloat(*s, "top_class_prob_min", sw, &p.top_class_prob_min));
  RETURN_IF_ERROR(json::ReadFloat(*s, "top_class_prob_max", sw, &p.top_class_prob_max));
  RETURN_IF_ERROR(json::ReadFloat(*s, "spread", sw, &p.spread));
  RETURN_IF_ERROR(json::ReadInt32(*s, "distinct_top1", sw, &p.distinct_top1));
  return Status::Ok();
}

}  // namespace

std::string ToJson(const EmbeddingResult& r) {
  return Header("embedding")
      .Str("modality", r.modality)
      .Int("rows", r.rows)
      .Int("dim", r.dim)
      .Bool("normalized", r.normalized)
      .Floats("values", r.values.data(), r.values.size())
      .Raw("provenance", ToJson(r.provenance))
      .Done();
}

std::string ToJson(const SimilarityResult& r) {
  return Header("similarity")
      .Int("images", r.images)
      .Int("texts", r.texts)
      .Floats("logits", r.logits.data(), r.logits.size())
      .Floats("probabilities", r.probabilities.data(), r.probabilities.size())
      .Raw("provenance", ToJson(r.provenance))
      .Done();
}

std::string ToJson(const ClassificationResult& r) {
  std::string images = "[";
  for (size_t i = 0; i < r.images.size(); ++i) {
    if (i) images += ',';
    images += ImageJson(r.images[i]);
  }
  images += ']';
  return Header("classification")
      .Strings("labels", r.labels)
      .Raw("images", images)
      .Raw("provenance", ToJson(r.provenance))
      .Done();
}

std::string ToJson(const SearchResult& r) {
  std::string queries = "[";
  for (size_t q = 0; q < r.hits.size(); ++q) {
    if (q) queries += ',';
    queries += '[';
    for (size_t i = 0; i < r.hits[q].size(); ++i) {
      if (i) queries += ',';
      queries += ObjectWriter().Str("id", std::to_string(r.hits[q][i].id)).Float("score", r.hits[q][i].score).Done();
    }
    queries += ']';
  }
  queries += ']';
  return Header("search").Raw("hits", queries).Raw("provenance", ToJson(r.provenance)).Done();
}

StatusOr<std::string> ResultKindOfJson(std::string_view text) {
  ASSIGN_OR_RETURN(io::JsonValue root, io::ParseJson(text, "result JSON"));
  std::string kind;
  RETURN_IF_ERROR(json::ReadStr(root, "kind", "result", &kind));
  return kind;
}

StatusOr<EmbeddingResult> ParseEmbeddingResultJson(std::string_view text) {
  ASSIGN_OR_RETURN(io::JsonValue root, ParseDocument(text, "embedding"));
  EmbeddingResult r;
  RETURN_IF_ERROR(json::ReadStr(root, "modality", "result", &r.modality));
  RETURN_IF_ERROR(json::ReadInt(root, "rows", "result", &r.rows));
  RETURN_IF_ERROR(json::ReadInt(root, "dim", "result", &r.dim));
  RETURN_IF_ERROR(json::ReadBool(root, "normalized", "result", &r.normalized));
  RETURN_IF_ERROR(json::ReadFloats(root, "values", "result", &r.values));
  ASSIGN_OR_RETURN(int64_t n, Product(r.rows, r.dim, "result.rows x result.dim"));
  RETURN_IF_ERROR(CheckCount(r.values.size(), n, "result.values"));
  RETURN_IF_ERROR(ReadProvenance(root, &r.provenance));
  return r;
}

StatusOr<SimilarityResult> ParseSimilarityResultJson(std::string_view text) {
  ASSIGN_OR_RETURN(io::JsonValue root, ParseDocument(text, "similarity"));
  SimilarityResult r;
  RETURN_IF_ERROR(json::ReadInt(root, "images", "result", &r.images));
  RETURN_IF_ERROR(json::ReadInt(root, "texts", "result", &r.texts));
  RETURN_IF_ERROR(json::ReadFloats(root, "logits", "result", &r.logits));
  RETURN_IF_ERROR(json::ReadFloats(root, "probabilities", "result", &r.probabilities));
  ASSIGN_OR_RETURN(int64_t n, Product(r.images, r.texts, "result.images x result.texts"));
  RETURN_IF_ERROR(CheckCount(r.logits.size(), n, "result.logits"));
  RETURN_IF_ERROR(CheckCount(r.probabilities.size(), n, "result.probabilities"));
  RETURN_IF_ERROR(ReadProvenance(root, &r.provenance));
  return r;
}

StatusOr<ClassificationResult> ParseClassificationResultJson(std::string_view text) {
  ASSIGN_OR_RETURN(io::JsonValue root, ParseDocument(text, "classification"));
  ClassificationResult r;
  RETURN_IF_ERROR(json::ReadStrings(root, "labels", "result", &r.labels));
  ASSIGN_OR_RETURN(const auto* images, json::ReadArray(root, "images", "result"));
  for (size_t i = 0; i < images->size(); ++i) {
    ImageClassification c;
    const std::string w = json::Path("result.images", i);
    RETURN_IF_ERROR(ParseImage((*images)[i], w, &c));
    RETURN_IF_ERROR(CheckCount(c.logits.size(), static_cast<int64_t>(r.labels.size()), w + ".logits"));
    RETURN_IF_ERROR(CheckCount(c.probabilities.size(), static_cast<int64_t>(r.labels.size()), w + ".probabilities"));
    for (const LabelScore& s : c.top_k) {
      if (s.label < 0 || static_cast<size_t>(s.label) >= r.labels.size()) {
        return InvalidArgumentError(w + ".top_k: label " + std::to_string(s.label) + " is not an index into " +
                                    std::to_string(r.labels.size()) + " labels");
      }
    }
    r.images.push_back(std::move(c));
  }
  RETURN_IF_ERROR(ReadProvenance(root, &r.provenance));
  return r;
}

StatusOr<SearchResult> ParseSearchResultJson(std::string_view text) {
  ASSIGN_OR_RETURN(io::JsonValue root, ParseDocument(text, "search"));
  SearchResult r;
  ASSIGN_OR_RETURN(const auto* queries, json::ReadArray(root, "hits", "result"));
  for (size_t q = 0; q < queries->size(); ++q) {
    const std::string qw = json::Path("result.hits", q);
    if (!(*queries)[q].is_array()) return InvalidArgumentError(qw + ": expected an array of hits");
    std::vector<SearchHit> hits;
    for (size_t i = 0; i < (*queries)[q].array().size(); ++i) {
      const io::JsonValue& h = (*queries)[q].array()[i];
      const std::string hw = json::Path(qw, i);
      std::string id;
      SearchHit hit;
      RETURN_IF_ERROR(json::ExpectObject(h, hw));
      RETURN_IF_ERROR(json::ReadStr(h, "id", hw, &id));
      const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), hit.id);
      if (id.empty() || ec != std::errc() || end != id.data() + id.size()) {
        return InvalidArgumentError(hw + ".id: \"" + id + "\" is not a decimal uint64");
      }
      RETURN_IF_ERROR(json::ReadFloat(h, "score", hw, &hit.score));
      hits.push_back(hit);
    }
    r.hits.push_back(std::move(hits));
  }
  RETURN_IF_ERROR(ReadProvenance(root, &r.provenance));
  return r;
}

}  // namespace cliprt::api
