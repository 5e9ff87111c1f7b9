// A provenance with every block filled and awkward values (unicode, quotes,
// floats that need all 9 digits, a denormal, nan), shared by the api tests.
#pragma once

#include <cmath>
#include <limits>

#include "api/provenance.h"

namespace cliprt::api::testing {

inline Provenance SampleProvenance() {
  Provenance p;
  p.library = {"0.1.0", "abc123def456", "GNU 12.2.0", "Release", "avx512", "f32", 2};
  p.model.name = "openai/ViT-B-32";
  p.model.family = "openai-vit";
  p.model.files = {{"/models/ViT-B-32.pt", 353976522, "torchscript",
                    "40d3715473f5f1b2c62b6e4d3ffa1e8ec5c4a1e7a1f5e0b5c8a9f3e8d6c7b1a2"},
                   {"/models/config \"quoted\".json", 412, "json", ""}};
  p.model.architecture = "embed_dim=512; vision=vit width=768 layers=12";
  p.model.vision_activation = "quick_gelu";
  p.model.vision_activation_source = "default: clip.load uses QuickGELU";
  p.model.text_activation = "quick_gelu";
  p.model.text_activation_source = "default: clip.load uses QuickGELU";
  p.model.decisions = {{"text.act", "quick_gelu", "default", "OpenAI checkpoints"},
                       {"vision.kind", "vit", "inferred", "key visual.proj present"}};
  PreprocessProvenance pre;
  pre.preset = "openai";
  pre.out_height = pre.out_width = pre.shortest_edge = 224;
  pre.resize_mode = "shortest";
  pre.interpolation = "bicubic";
  pre.crop_rule = "center_half_even";
  pre.rgb_conversion = "after_resize";
  pre.rescale = "f32_div_255";
  pre.rescale_factor = 1.0 / 255.0;
  pre.mean = {0.48145466f, 0.4578275f, 0.40821073f};
  pre.std = {0.26862954f, 0.26130258f, 0.27577711f};
  pre.exif_policy = "ignored";
  pre.images = {{131, 97, "RGB", 302, 224, 0, 39}, {67, 45, "P", 333, 224, 0, 54}};
  p.preprocess = pre;
  TokenizerProvenance tok;
  tok.kind = "clip-bpe";
  tok.variant = "openai";
  tok.vocabulary_format = "openai-bpe";
  tok.vocabulary_files = {"/assets/bpe_simple_vocab_16e6.txt.gz"};
  tok.vocabulary_sha256 = "924691ac288e54409236115652ad4aa250f48203de50a9e4722a6ecd48d6804a";
  tok.vocabulary_size = 49408;
  tok.context_length = 77;
  tok.bos_id = 49406;
  tok.eos_id = 49407;
  tok.truncation = "truncate";
  tok.text_cleaning = "ftfy+html.unescape*2+whitespace+lower";
  tok.unicode_version = "15.1";
  tok.selection_reason = "family openai → clip.tokenize";
  tok.texts = {{7, 0, 0}, {77, 12, 1}};
  tok.truncated_texts = 1;
  p.tokenizer = tok;
  ClassificationInfo cls;
  cls.labels = {"goldfish", "café au lait", "tab\there"};
  cls.templates = {"a photo of a {}.", "itap of a {}."};
  cls.aggregation = "mean of L2-normalized per-template text embeddings, L2-renormalized";
  cls.score_rule = "softmax";
  cls.logit_scale = 100.0312424f;
  cls.threshold = 0.1f;
  cls.top_k = 3;
  cls.prompt_sensitivity = true;
  cls.abstained = {false, true};
  p.classification = cls;
  RetrievalInfo ret;
  ret.metric = "cosine";
  ret.index_entries = 1000;
  ret.dim = 512;
  ret.top_k = 10;
  ret.tie_break = "equal scores: insertion order (earlier first)";
  ret.index_checkpoint_sha256 = p.model.files[0].sha256;
  p.retrieval = ret;
  return p;
}

// Floats that stress %.9g round-tripping.
inline std::vector<float> AwkwardFloats() {
  return {0.1f, 1.0f / 3.0f, -0.0f, 1e-45f, 3.4028235e38f, 16777217.0f, -2.5e-8f, 0.99999994f,
          std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()};
}

}  // namespace cliprt::api::testing
