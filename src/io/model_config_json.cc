// JSON rendering of ModelConfig for provenance records.
#include <cstdio>

#include "io/json.h"
#include "io/model_config.h"

namespace cliprt::io {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

class ObjectWriter {
 public:
  void Key(const char* k) {
    out_ += first_ ? "" : ",";
    first_ = false;
    out_ += JsonQuote(k);
    out_ += ':';
  }
  void Int(const char* k, int64_t v) { Key(k); out_ += std::to_string(v); }
  void Double(const char* k, double v) { Key(k); out_ += Num(v); }
  void Bool(const char* k, bool v) { Key(k); out_ += v ? "true" : "false"; }
  void Str(const char* k, const std::string& v) { Key(k); out_ += JsonQuote(v); }
  void Raw(const char* k, const std::string& json) { Key(k); out_ += json; }
  std::string Done() { return "{" + out_ + "}"; }

 private:
  std::string out_;
  bool first_ = true;
};

std::string Triple(const std::array<double, 3>& v) {
  return "[" + Num(v[0]) + "," + Num(v[1]) + "," + Num(v[2]) + "]";
}

}  // namespace

std::string ModelConfigToJson(const ModelConfig& c) {
  ObjectWriter v;
  v.Str("kind", c.vision.kind);
  v.Int("width", c.vision.width);
  v.Int("layers", c.vision.layers);
  v.Raw("resnet_layers", "[" + std::to_string(c.vision.resnet_layers[0]) + "," +
                             std::to_string(c.vision.resnet_layers[1]) + "," +
                             std::to_string(c.vision.resnet_layers[2]) + "," +
                             std::to_string(c.vision.resnet_layers[3]) + "]");
  v.Int("heads", c.vision.heads);
  v.Int("patch_size", c.vision.patch_size);
  v.Int("image_size", c.vision.image_size);
  v.Int("mlp_hidden", c.vision.mlp_hidden);
  v.Str("act", ActivationName(c.vision.act));
  v.Double("ln_eps", c.vision.ln_eps);
  v.Bool("class_token", c.vision.class_token);
  v.Bool("ln_pre", c.vision.ln_pre);
  v.Bool("patch_bias", c.vision.patch_bias);
  v.Str("pool", c.vision.pool);
  ObjectWriter t;
  t.Int("width", c.text.width);
  t.Int("layers", c.text.layers);
  t.Int("heads", c.text.heads);
  t.Int("context_length", c.text.context_length);
  t.Int("vocab_size", c.text.vocab_size);
  t.Int("mlp_hidden", c.text.mlp_hidden);
  t.Str("act", ActivationName(c.text.act));
  t.Double("ln_eps", c.text.ln_eps);
  t.Bool("causal_mask", c.text.causal_mask);
  t.Str("pool", c.text.pool);
  t.Int("pad_id", c.text.pad_id);
  t.Int("bos_id", c.text.bos_id);
  t.Int("eos_id", c.text.eos_id);
  t.Bool("proj_bias", c.text.proj_bias);
  t.Str("proj_type", c.text.proj_type);
  t.Str("tokenizer", c.text.tokenizer);
  t.Str("tokenizer_clean", c.text.tokenizer_clean);
  ObjectWriter p;
  p.Int("image_size", c.preprocess.image_size);
  p.Raw("mean", Triple(c.preprocess.mean));
  p.Raw("std", Triple(c.preprocess.std));
  p.Str("interpolation", c.preprocess.interpolation);
  p.Str("resize_mode", c.preprocess.resize_mode);
  p.Str("crop_rounding", c.preprocess.crop_rounding);
  std::string decisions = "[";
  for (size_t i = 0; i < c.decisions.size(); ++i) {
    const Decision& d = c.decisions[i];
    ObjectWriter o;
    o.Str("field", d.field);
    o.Str("value", d.value);
    o.Str("source", DecisionSourceName(d.source));
    o.Str("reason", d.reason);
    decisions += (i ? "," : "");
    decisions += o.Done();
  }
  decisions += "]";
  ObjectWriter root;
  root.Str("family", ArchFamilyName(c.family));
  root.Int("embed_dim", c.embed_dim);
  root.Bool("has_logit_bias", c.has_logit_bias);
  root.Raw("vision", v.Done());
  root.Raw("text", t.Done());
  root.Raw("preprocess", p.Done());
  root.Raw("decisions", decisions);
  return root.Done();
}

}  // namespace cliprt::io
