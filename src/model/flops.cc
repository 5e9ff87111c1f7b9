#include "model/flops.h"

namespace cliprt::model {
namespace {

double TransformerFlops(int64_t tokens, int64_t width, int64_t hidden, int64_t layers, int64_t attended) {
  const double linear = 2.0 * tokens * (4.0 * width * width + 2.0 * width * hidden);
  const double attention = 4.0 * tokens * attended * width;
  return layers * (linear + attention);
}
}  // namespace

double VisionFlops(const io::ModelConfig& c) {
  const io::VisionConfig& v = c.vision;
  if (v.kind == "resnet") {
    // Convolutions of ModifiedResNet at v.image_size (stem, bottlenecks, attnpool).
    double f = 0;
    const int64_t w = v.width;
    int64_t s = v.image_size / 2;
    f += 2.0 * s * s * (3 * 9 * (w / 2) + (w / 2) * 9 * (w / 2) + (w / 2) * 9 * w);
    s /= 2;
    int64_t inplanes = w;
    for (int stage = 0; stage < 4; ++stage) {
      const int64_t planes = w << stage;
      for (int64_t b = 0; b < v.resnet_layers[static_cast<size_t>(stage)]; ++b) {
        const int64_t in_s = s;
        const int64_t out_s = (b == 0 && stage > 0) ? s / 2 : s;
        f += 2.0 * in_s * in_s * inplanes * planes + 2.0 * in_s * in_s * planes * 9 * planes +
             2.0 * out_s * out_s * planes * 4 * planes;
        if (b == 0 && (stage > 0 || inplanes != planes * 4)) f += 2.0 * out_s * out_s * inplanes * planes * 4;
        inplanes = planes * 4;
        s = out_s;
      }
    }
    const int64_t d = w * 32, hw = s * s;
    f += 2.0 * (hw + 1) * 2 * d * d + 2.0 * 2 * d * d + 2.0 * d * c.embed_dim;
    return f;
  }
  const int64_t grid = v.image_size / v.patch_size;
  const int64_t tokens = grid * grid + (v.class_token ? 1 : 0);
  double f = 2.0 * grid * grid * 3 * v.patch_size * v.patch_size * v.width;
  f += TransformerFlops(tokens, v.width, v.mlp_hidden, v.layers, tokens);
  if (v.pool == "map") {
    // SigLIP's attention-pooling head: k/v over every token, one query, its MLP.
    const double d = static_cast<double>(v.width);
    f += 2.0 * tokens * 2 * d * d + 2.0 * 2 * d * d + 4.0 * tokens * d + 4.0 * d * v.mlp_hidden;
  } else {
    f += 2.0 * v.width * c.embed_dim;
  }
  return f;
}

double TextFlops(const io::ModelConfig& c, int64_t text_tokens) {
  const io::TextConfig& t = c.text;
  return TransformerFlops(text_tokens, t.width, t.mlp_hidden, t.layers, text_tokens) + 2.0 * t.width * c.embed_dim;
}

}  // namespace cliprt::model
