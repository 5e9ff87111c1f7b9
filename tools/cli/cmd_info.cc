// cliprt info MODEL — what a checkpoint is, as cliprt sees it, in JSON.
#include <cstdio>
#include <vector>

#include "args.h"
#include "cli_error.h"
#include "command_helpers.h"
#include "commands.h"
#include "json_writer.h"
#include "model_options.h"

namespace cliprt_cli {
namespace {

constexpr const char* kHelp =
    "usage: cliprt info MODEL [--towers both|vision|text] [--no-sha256] [common options]\n"
    "\n"
    "Prints JSON describing the checkpoint: identity (files, SHA-256, manifest\n"
    "name), family and architecture, activations and where each choice came\n"
    "from, preprocessing preset, tokenizer, and which towers are present.\n"
    "\n"
    "  --towers T     load only one tower (default both; 'vision' needs no tokenizer)\n"
    "  --no-sha256    skip hashing the weight files (faster; hashes are \"\")\n"
    "common options: --tokenizer PATH --preset NAME --threads N --precision P --isa L\n"
    "\n"
    "example:\n"
    "  cliprt info ViT-B-32.pt --tokenizer bpe_simple_vocab_16e6.txt.gz\n";

}  // namespace

cliprt_towers ParseTowers(const std::string& text) {
  if (text == "both") return CLIPRT_TOWERS_BOTH;
  if (text == "vision") return CLIPRT_TOWERS_VISION;
  if (text == "text") return CLIPRT_TOWERS_TEXT;
  UsageError("--towers wants both, vision or text, got '" + text + "'");
}

int RunInfo(Argv argv) {
  std::vector<OptionSpec> specs(std::begin(kModelOptionSpecs), std::end(kModelOptionSpecs));
  specs.push_back({"towers"});
  specs.push_back({"no-sha256", false});
  const Args args = Args::Parse("info", argv, specs);
  if (args.help()) return std::fputs(kHelp, stdout), kExitOk;
  if (args.positionals().size() != 1) UsageError("expected exactly one MODEL (try --help)");
  const std::string& path = args.positionals()[0];
  cliprt::ModelOptions options = ModelOptionsFrom(args, ParseTowers(args.Get("towers", "both")));
  options.compute_sha256 = !args.Has("no-sha256");
  const cliprt::Model model = cliprt::Model::Load(path, options);
  const cliprt::ModelInfo info = model.info();
  JsonWriter w;
  w.BeginObject();
  w.Key("path").String(path);
  w.Key("summary").BeginObject();
  w.Key("name").String(info.name);
  w.Key("family").String(info.family);
  w.Key("architecture").String(info.architecture);
  w.Key("embed_dim").Int(info.embed_dim);
  w.Key("towers").BeginArray();
  if (info.has_vision) w.String("vision");
  if (info.has_text) w.String("text");
  w.EndArray();
  w.Key("image_size").Int(info.image_size);
  w.Key("context_length").Int(info.context_length);
  w.Key("score_rule").String(info.score_rule);
  w.Key("logit_scale").Float(info.logit_scale);
  if (info.logit_bias) {
    w.Key("logit_bias").Float(*info.logit_bias);
  } else {
    w.Key("logit_bias").Null();
  }
  w.Key("precision").String(info.precision);
  w.Key("threads").Int(info.threads);
  w.EndObject();
  w.Key("model").Raw(model.info_json());
  w.EndObject();
  std::fputs(w.str().c_str(), stdout);
  return kExitOk;
}

}  // namespace cliprt_cli
