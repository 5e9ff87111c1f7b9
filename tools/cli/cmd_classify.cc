// cliprt classify MODEL IMAGE... (--labels "a,b" | --labels-file F) — zero-shot.
#include <cstdio>
#include <filesystem>
#include <vector>

#include "args.h"
#include "cli_error.h"
#include "commands.h"
#include "inputs.h"
#include "json_writer.h"
#include "model_options.h"
#include "progress.h"
#include "result_files.h"

namespace cliprt_cli {
namespace {

constexpr const char* kHelp =
    "usage: cliprt classify MODEL IMAGE... (--labels \"a,b,c\" | --labels-file F)\n"
    "                       [--templates openclip|imagenet80|single|none|FILE]\n"
    "                       [--top K] [--threshold T] [--no-sensitivity]\n"
    "                       [--save-result R.json] [common options]\n"
    "\n"
    "Zero-shot classification. Prints JSON: per image the top-K labels with\n"
    "probabilities and logits, every label's probability, whether it abstained\n"
    "(top-1 probability below --threshold), and the prompt sensitivity (how the\n"
    "answer changes with each template alone); then the provenance.\n"
    "\n"
    "  --labels L        comma-separated labels (spaces around commas are trimmed)\n"
    "  --labels-file F   one label per line (trimmed; blank lines skipped)\n"
    "  --templates T     prompt templates ('{}' = the label). Built-in sets:\n"
    "                      openclip   open_clip's 7 ImageNet templates (default;\n"
    "                                 also 'openclip7')\n"
    "                      imagenet80 the CLIP paper's 80 ImageNet templates\n"
    "                      single     \"a photo of a {}.\"\n"
    "                      none       the bare label (the single template \"{}\")\n"
    "                    or a UTF-8 file with one template per line\n"
    "  --top K           labels reported per image (default 5, clamped to the labels)\n"
    "  --threshold T     abstain when the top-1 probability is below T\n"
    "  --no-sensitivity  skip the per-template scores\n"
    "  --save-result F   write the full result document for cliprt replay\n"
    "common options: --tokenizer PATH --preset NAME --threads N --precision P --isa L\n"
    "\n"
    "example:\n"
    "  cliprt classify ViT-B-32.pt cat.jpg --labels \"cat,dog,car\" --top 2 --threshold 0.5\n";

std::vector<std::string> ReadLabelsFile(const std::string& path) {
  std::vector<std::string> labels;
  for (const std::string& line : ReadTextLines(path)) {
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos) continue;
    const size_t last = line.find_last_not_of(" \t\r");
    labels.push_back(line.substr(first, last - first + 1));
  }
  if (labels.empty()) InputError("--labels-file '" + path + "' holds no labels");
  return labels;
}

cliprt::Templates ParseTemplates(const std::string& text) {
  if (text == "openclip" || text == "openclip7") return cliprt::Templates::Builtin("openclip7");
  if (text == "imagenet80" || text == "single") return cliprt::Templates::Builtin(text);
  if (text == "none") return cliprt::Templates::List({"{}"});
  std::error_code ec;
  if (std::filesystem::is_regular_file(text, ec)) return cliprt::Templates::File(text);
  UsageError("--templates: '" + text +
             "' is neither a built-in set (openclip, imagenet80, single, none) nor a file");
}

}  // namespace

int RunClassify(Argv argv) {
  std::vector<OptionSpec> specs(std::begin(kModelOptionSpecs), std::end(kModelOptionSpecs));
  for (const char* name : {"labels", "labels-file", "templates", "top", "threshold", "save-result"}) {
    specs.push_back({name});
  }
  specs.push_back({"no-sensitivity", false});
  const Args args = Args::Parse("classify", argv, specs);
  if (args.help()) return std::fputs(kHelp, stdout), kExitOk;
  if (args.positionals().size() < 2) UsageError("expected MODEL and at least one IMAGE (try --help)");
  if (args.Has("labels") == args.Has("labels-file")) {
    UsageError("give exactly one of --labels \"a,b,c\" and --labels-file F");
  }
  const std::vector<std::string> labels =
      args.Has("labels") ? SplitLabels(args.Get("labels")) : ReadLabelsFile(args.Get("labels-file"));
  const cliprt::Templates templates = ParseTemplates(args.Get("templates", "openclip"));
  cliprt::ClassifyOptions options;
  options.top_k = static_cast<int>(args.GetInt("top", 5, 1, 1 << 20));
  if (const auto t = args.GetDouble("threshold")) options.threshold = static_cast<float>(*t);
  options.prompt_sensitivity = !args.Has("no-sensitivity");
  const std::vector<std::string> images = ExpandImageArgs(
      std::vector<std::string>(args.positionals().begin() + 1, args.positionals().end()));

  const cliprt::Model model = LoadModel(args, args.positionals()[0], CLIPRT_TOWERS_BOTH);
  cliprt::Classification result = [&] {
    Spinner spinner("classifying " + std::to_string(images.size()) + " images");
    const cliprt::Classifier classifier = model.CreateClassifier(labels, templates);
    return model.ClassifyImageFiles(classifier, images, options);
  }();

  JsonWriter w;
  w.BeginObject();
  w.Key("labels").BeginArray();
  for (const std::string& label : labels) w.String(label);
  w.EndArray();
  w.Key("images").BeginArray();
  for (size_t i = 0; i < result.num_images(); ++i) {
    w.BeginObject();
    w.Key("input").String(images[i]);
    w.Key("abstained").Bool(result.abstained(i));
    w.Key("top_k").BeginArray();
    for (const cliprt::LabelScore& s : result.top_k(i)) {
      w.BeginObject();
      w.Key("label").String(result.label(static_cast<size_t>(s.label)));
      w.Key("index").Int(s.label);
      w.Key("probability").Float(s.probability);
      w.Key("logit").Float(s.logit);
      w.EndObject();
    }
    w.EndArray();
    const auto probs = result.probabilities(i);
    w.Key("probabilities").BeginObject();
    for (size_t c = 0; c < probs.size(); ++c) w.Key(result.label(c)).Float(probs[c]);
    w.EndObject();
    const cliprt::PromptSensitivity s = result.sensitivity(i);
    if (s.computed) {
      w.Key("prompt_sensitivity").BeginObject();
      w.Key("agreement_rate").Float(s.agreement_rate);
      w.Key("distinct_top1").Int(s.distinct_top1);
      w.Key("top_class_prob_min").Float(s.top_class_prob_min);
      w.Key("top_class_prob_max").Float(s.top_class_prob_max);
      w.Key("spread").Float(s.spread);
      w.Key("template_top1").BeginArray();
      for (int32_t label : s.template_top1) w.String(result.label(static_cast<size_t>(label)));
      w.EndArray();
      w.Key("template_top_class_prob")
          .FloatArray(s.template_top_class_prob.data(), s.template_top_class_prob.size());
      w.EndObject();
    } else {
      w.Key("prompt_sensitivity").Null();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("provenance").Raw(result.provenance_json());
  w.EndObject();
  std::fputs(w.str().c_str(), stdout);
  if (const auto saved = args.GetOptional("save-result")) {
    WriteWholeFile(*saved, AttachInputs(result.to_json(), args.positionals()[0], "images", AbsolutePaths(images)));
  }
  return kExitOk;
}

}  // namespace cliprt_cli
