// Replay comparison of saved and recomputed results.
#include "api/replay_diff.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include "api/provenance_json.h"
#include "io/json.h"

namespace cliprt::api {
namespace {

// Compact JSON text of a parsed value (for Difference::saved/recomputed).
std::string Serialize(const io::JsonValue& v) {
  switch (v.type()) {
    case io::JsonValue::Type::kNull: return "null";
    case io::JsonValue::Type::kBool: return v.bool_value() ? "true" : "false";
    case io::JsonValue::Type::kNumber: return v.number_text();
    case io::JsonValue::Type::kString: return io::JsonQuote(v.string());
    case io::JsonValue::Type::kArray: {
      std::string s = "[";
      for (size_t i = 0; i < v.array().size(); ++i) {
        if (i) s += ',';
        s += Serialize(v.array()[i]);
      }
      return s + "]";
    }
    case io::JsonValue::Type::kObject: {
      std::string s = "{";
      for (size_t i = 0; i < v.object().size(); ++i) {
        if (i) s += ',';
        s += io::JsonQuote(v.object()[i].first) + ":" + Serialize(v.object()[i].second);
      }
      return s + "}";
    }
  }
  return "";
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Fields that cannot change result values: where files were, how many
// threads ran (results are thread-count independent by contract), and the
// prose explaining a choice (the choice itself is compared).
bool IsInformational(const std::string& path) {
  if (path == "library.threads") return true;
  if (path.rfind("model.files[", 0) == 0 && EndsWith(path, ".path")) return true;
  if (path.rfind("tokenizer.vocabulary_files", 0) == 0) return true;
  if (path == "tokenizer.selection_reason") return true;
  if (path.rfind("model.decisions[", 0) == 0 && EndsWith(path, ".reason")) return true;
  if (EndsWith(path, "_activation_source")) return true;
  return false;
}

void Add(std::vector<Difference>* out, const std::string& path, std::string saved, std::string recomputed) {
  out->push_back({path, std::move(saved), std::move(recomputed), !IsInformational(path)});
}

void DiffValues(const io::JsonValue& a, const io::JsonValue& b, const std::string& path,
                std::vector<Difference>* out) {
  if (a.is_object() && b.is_object()) {
    for (const auto& [key, va] : a.object()) {
      const std::string p = path.empty() ? key : path + "." + key;
      const io::JsonValue* vb = b.Find(key);
      if (vb == nullptr) {
        Add(out, p, Serialize(va), "<absent>");
      } else {
        DiffValues(va, *vb, p, out);
      }
    }
    for (const auto& [key, vb] : b.object()) {
      if (a.Find(key) == nullptr) Add(out, path.empty() ? key : path + "." + key, "<absent>", Serialize(vb));
    }
    return;
  }
  if (a.is_array() && b.is_array()) {
    const size_t na = a.array().size(), nb = b.array().size();
    for (size_t i = 0; i < std::max(na, nb); ++i) {
      const std::string p = path + "[" + std::to_string(i) + "]";
      if (i >= na) {
        Add(out, p, "<absent>", Serialize(b.array()[i]));
      } else if (i >= nb) {
        Add(out, p, Serialize(a.array()[i]), "<absent>");
      } else {
        DiffValues(a.array()[i], b.array()[i], p, out);
      }
    }
    return;
  }
  std::string sa = Serialize(a), sb = Serialize(b);
  if (sa != sb) Add(out, path, std::move(sa), std::move(sb));
}

void DiffField(std::vector<Difference>* out, const std::string& field, const std::string& a, const std::string& b) {
  if (a != b) out->push_back({field, a, b, true});
}
void DiffField(std::vector<Difference>* out, const std::string& field, int64_t a, int64_t b) {
  DiffField(out, field, std::to_string(a), std::to_string(b));
}
std::string Bool(bool b) { return b ? "true" : "false"; }

void Append(std::vector<float>* to, const std::vector<float>& from) { to->insert(to->end(), from.begin(), from.end()); }

ReplayReport Finish(const Provenance& saved, const Provenance& recomputed, std::vector<Difference> result,
                    const std::vector<float>& a, const std::vector<float>& b) {
  ReplayReport r;
  r.provenance = DiffProvenance(saved, recomputed);
  r.result = std::move(result);
  r.values = CompareValues(a, b);
  return r;
}

}  // namespace

std::vector<Difference> DiffProvenance(const Provenance& saved, const Provenance& recomputed) {
  std::vector<Difference> out;
  // Both documents come from ToJson, so they parse; a failure would be a bug.
  auto a = io::ParseJson(ToJson(saved), "saved provenance");
  auto b = io::ParseJson(ToJson(recomputed), "recomputed provenance");
  if (!a.ok() || !b.ok()) {
    out.push_back({"<provenance>", a.ok() ? "" : a.status().message(), b.ok() ? "" : b.status().message(), true});
    return out;
  }
  DiffValues(*a, *b, "", &out);
  return out;
}

ValueComparison CompareValues(std::span<const float> saved, std::span<const float> recomputed) {
  ValueComparison c;
  c.same_shape = saved.size() == recomputed.size();
  c.count = static_cast<int64_t>(std::min(saved.size(), recomputed.size()));
  for (float v : saved) {
    if (std::isfinite(v)) c.max_abs_saved = std::max(c.max_abs_saved, static_cast<double>(std::fabs(v)));
  }
  for (int64_t i = 0; i < c.count; ++i) {
    uint32_t ba, bb;
    std::memcpy(&ba, &saved[i], 4);
    std::memcpy(&bb, &recomputed[i], 4);
    if (ba == bb) continue;
    ++c.differing;
    if (c.first_differing < 0) c.first_differing = i;
    const double d = std::fabs(static_cast<double>(saved[i]) - static_cast<double>(recomputed[i]));
    c.max_abs_diff = std::max(c.max_abs_diff, std::isnan(d) ? std::numeric_limits<double>::infinity() : d);
  }
  c.bit_identical = c.same_shape && c.differing == 0;
  return c;
}

bool ReplayReport::substantively_identical() const {
  if (!result.empty() || !values.same_shape) return false;
  for (const auto& d : provenance) {
    if (d.substantive) return false;
  }
  return true;
}

std::string ReplayReport::ToString() const {
  if (identical()) return "bit-identical (" + std::to_string(values.count) + " values)";
  std::ostringstream s;
  if (!values.same_shape) {
    s << "values: different count (saved vs recomputed), " << values.count << " compared\n";
  }
  if (values.bit_identical) {
    s << "values: bit-identical (" << values.count << ")\n";
  } else if (values.differing > 0) {
    s << "values: " << values.differing << " of " << values.count << " differ, first at index "
      << values.first_differing << ", max abs diff " << values.max_abs_diff << " (max |saved| "
      << values.max_abs_saved << ")\n";
  }
  for (const auto& d : result) s << "result " << d.field << ": " << d.saved << " -> " << d.recomputed << "\n";
  for (const auto& d : provenance) {
    s << (d.substantive ? "provenance " : "provenance (informational) ") << d.field << ": " << d.saved << " -> "
      << d.recomputed << "\n";
  }
  return s.str();
}

ReplayReport DiffResults(const EmbeddingResult& a, const EmbeddingResult& b) {
  std::vector<Difference> r;
  DiffField(&r, "modality", a.modality, b.modality);
  DiffField(&r, "rows", a.rows, b.rows);
  DiffField(&r, "dim", a.dim, b.dim);
  DiffField(&r, "normalized", Bool(a.normalized), Bool(b.normalized));
  return Finish(a.provenance, b.provenance, std::move(r), a.values, b.values);
}

ReplayReport DiffResults(const SimilarityResult& a, const SimilarityResult& b) {
  std::vector<Difference> r;
  DiffField(&r, "images", a.images, b.images);
  DiffField(&r, "texts", a.texts, b.texts);
  std::vector<float> va = a.logits, vb = b.logits;
  Append(&va, a.probabilities);
  Append(&vb, b.probabilities);
  return Finish(a.provenance, b.provenance, std::move(r), va, vb);
}

namespace {
void ClassificationValues(const ClassificationResult& c, std::vector<float>* v) {
  for (const auto& im : c.images) {
    Append(v, im.logits);
    Append(v, im.probabilities);
    for (const auto& s : im.top_k) {
      v->push_back(s.probability);
      v->push_back(s.logit);
    }
    Append(v, im.sensitivity.template_top_class_prob);
    v->insert(v->end(), {im.sensitivity.agreement_rate, im.sensitivity.top_class_prob_min,
                         im.sensitivity.top_class_prob_max, im.sensitivity.spread});
  }
}
}  // namespace

ReplayReport DiffResults(const ClassificationResult& a, const ClassificationResult& b) {
  std::vector<Difference> r;
  DiffField(&r, "labels.count", static_cast<int64_t>(a.labels.size()), static_cast<int64_t>(b.labels.size()));
  for (size_t i = 0; i < std::min(a.labels.size(), b.labels.size()); ++i) {
    DiffField(&r, "labels[" + std::to_string(i) + "]", a.labels[i], b.labels[i]);
  }
  DiffField(&r, "images.count", static_cast<int64_t>(a.images.size()), static_cast<int64_t>(b.images.size()));
  for (size_t i = 0; i < std::min(a.images.size(), b.images.size()); ++i) {
    const auto& x = a.images[i];
    const auto& y = b.images[i];
    const std::string p = "images[" + std::to_string(i) + "]";
    DiffField(&r, p + ".abstained", Bool(x.abstained), Bool(y.abstained));
    DiffField(&r, p + ".top_k.count", static_cast<int64_t>(x.top_k.size()), static_cast<int64_t>(y.top_k.size()));
    for (size_t k = 0; k < std::min(x.top_k.size(), y.top_k.size()); ++k) {
      DiffField(&r, p + ".top_k[" + std::to_string(k) + "].label", x.top_k[k].label, y.top_k[k].label);
    }
    const auto& st = x.sensitivity.template_top1;
    const auto& su = y.sensitivity.template_top1;
    DiffField(&r, p + ".sensitivity.template_top1.count", static_cast<int64_t>(st.size()),
              static_cast<int64_t>(su.size()));
    for (size_t t = 0; t < std::min(st.size(), su.size()); ++t) {
      DiffField(&r, p + ".sensitivity.template_top1[" + std::to_string(t) + "]", st[t], su[t]);
    }
    DiffField(&r, p + ".sensitivity.distinct_top1", x.sensitivity.distinct_top1, y.sensitivity.distinct_top1);
  }
  std::vector<float> va, vb;
  ClassificationValues(a, &va);
  ClassificationValues(b, &vb);
  return Finish(a.provenance, b.provenance, std::move(r), va, vb);
}

ReplayReport DiffResults(const SearchResult& a, const SearchResult& b) {
  std::vector<Difference> r;
  std::vector<float> va, vb;
  DiffField(&r, "hits.count", static_cast<int64_t>(a.hits.size()), static_cast<int64_t>(b.hits.size()));
  for (size_t q = 0; q < std::min(a.hits.size(), b.hits.size()); ++q) {
    const std::string p = "hits[" + std::to_string(q) + "]";
    DiffField(&r, p + ".count", static_cast<int64_t>(a.hits[q].size()), static_cast<int64_t>(b.hits[q].size()));
    for (size_t i = 0; i < std::min(a.hits[q].size(), b.hits[q].size()); ++i) {
      DiffField(&r, p + "[" + std::to_string(i) + "].id", std::to_string(a.hits[q][i].id),
                std::to_string(b.hits[q][i].id));
    }
  }
  for (const auto& q : a.hits) {
    for (const auto& h : q) va.push_back(h.score);
  }
  for (const auto& q : b.hits) {
    for (const auto& h : q) vb.push_back(h.score);
  }
  return Finish(a.provenance, b.provenance, std::move(r), va, vb);
}

}  // namespace cliprt::api
