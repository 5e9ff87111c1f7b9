// cliprt replay RESULT.json [INPUTS...] — recompute a saved result and say
// whether it is identical, or exactly what differs.
#include <cstdio>
#include <vector>

#include "args.h"
#include "cli_error.h"
#include "commands.h"
#include "inputs.h"
#include "json_value.h"
#include "json_writer.h"
#include "model_options.h"
#include "npy_file.h"

namespace cliprt_cli {
namespace {

constexpr const char* kHelp =
    "usage: cliprt replay RESULT.json [INPUTS...] [--texts-file F] [--model PATH]\n"
    "                     [--tokenizer PATH] [--threads N] [--against OTHER.json] [--json]\n"
    "\n"
    "Recomputes a result saved with --save-result (embed-image, embed-text,\n"
    "classify) from the model, preprocessing, tokenizer, precision, labels and\n"
    "templates its provenance records, and compares: every provenance field,\n"
    "every result field and every value bit.\n"
    "\n"
    "  INPUTS          image files or texts, in the saved order (default: the inputs\n"
    "                  recorded in the saved result)\n"
    "  --model PATH    use this checkpoint instead of the recorded path\n"
    "  --tokenizer P   use this vocabulary instead of the recorded one\n"
    "  --threads N     threads (default: as recorded; results do not depend on it)\n"
    "  --against F     compare with another saved result instead of recomputing\n"
    "  --json          print the report as JSON instead of text\n"
    "\n"
    "exit status: 0 identical (informational fields such as paths or the thread\n"
    "count may differ; they are listed), 3 something substantive differs, 1/2 errors\n"
    "\n"
    "example:\n"
    "  cliprt classify m.pt cat.jpg --labels cat,dog --save-result r.json && cliprt replay r.json\n";

std::vector<std::string> RecordedInputs(const JsonValue& doc, std::string* kind) {
  std::vector<std::string> items;
  const JsonValue* inputs = doc.Find("cli_inputs");
  if (inputs == nullptr) return items;
  if (const JsonValue* k = inputs->Find("kind"); k && k->type == JsonValue::Type::kString) {
    *kind = k->string;
  }
  if (const JsonValue* list = inputs->Find("items"); list && list->type == JsonValue::Type::kArray) {
    for (const JsonValue& item : list->array) {
      if (item.type == JsonValue::Type::kString) items.push_back(item.string);
    }
  }
  return items;
}

std::string RecordedString(const JsonValue& doc, std::string_view path) {
  const JsonValue* v = doc.Path(path);
  return v && v->type == JsonValue::Type::kString ? v->string : "";
}

// Results computed from --pixels: the library's replay takes image files, so
// the CLI reloads the model as recorded and encodes the pixels again.
std::string RecomputeFromPixels(const Args& args, const JsonValue& doc, const std::string& pixels_path,
                                const std::string& what) {
  std::string model_path = args.Get("model", RecordedString(doc, "cli_inputs.model"));
  if (model_path.empty()) model_path = RecordedString(doc, "provenance.model.files[0].path");
  if (model_path.empty()) InputError(what + ": no recorded checkpoint path; give --model");
  cliprt::ModelOptions options;
  options.towers = CLIPRT_TOWERS_VISION;
  options.threads = static_cast<int>(args.GetInt("threads", 0, 0, 1024));
  options.precision = ParsePrecision(RecordedString(doc, "provenance.library.precision"));
  // Encoding pixels does not preprocess; the recorded preset is only passed
  // on when it names one.
  const std::string preset = RecordedString(doc, "provenance.preprocess.preset");
  for (const char* known : {"openai", "open_clip", "hf_clip", "hf_siglip"}) {
    if (preset == known) options.preset = preset;
  }
  const cliprt::Model model = cliprt::Model::Load(model_path, options);
  const NpyArray pixels = ReadNpy(pixels_path);
  if (!pixels.is_float || pixels.shape.size() != 4) InputError("'" + pixels_path + "' is not [N, 3, S, S]");
  const JsonValue* normalized = doc.Find("normalized");
  const cliprt::Embeddings emb =
      model.EncodePixels(pixels.floats, static_cast<size_t>(pixels.shape[0]),
                         static_cast<size_t>(pixels.shape[2]), normalized && normalized->boolean);
  return std::string(emb.to_json());
}

}  // namespace

int RunReplay(Argv argv) {
  std::vector<OptionSpec> specs = {{"model"},      {"tokenizer"}, {"threads"},
                                   {"texts-file"}, {"against"},   {"json", false},
                                   {"isa"}};
  const Args args = Args::Parse("replay", argv, specs);
  if (args.help()) return std::fputs(kHelp, stdout), kExitOk;
  ValidateIsa(args);
  if (args.positionals().empty()) UsageError("expected RESULT.json (try --help)");
  const std::string saved_path = args.positionals()[0];
  const std::string saved = ReadWholeFile(saved_path);
  const JsonValue doc = ParseJson(saved, "'" + saved_path + "'");
  if (doc.type != JsonValue::Type::kObject || doc.Find("provenance") == nullptr) {
    InputError("'" + saved_path + "' is not a saved result (no \"provenance\"); write one with --save-result");
  }

  std::optional<cliprt::ReplayReport> report;
  if (const auto other = args.GetOptional("against")) {
    report.emplace(cliprt::ReplayReport::Compare(saved, ReadWholeFile(*other)));
  } else {
    std::vector<std::string> inputs(args.positionals().begin() + 1, args.positionals().end());
    if (const auto file = args.GetOptional("texts-file")) {
      const std::vector<std::string> lines = ReadTextLines(*file);
      inputs.insert(inputs.end(), lines.begin(), lines.end());
    }
    std::string kind;
    const std::vector<std::string> recorded = RecordedInputs(doc, &kind);
    if (inputs.empty()) inputs = recorded;
    if (kind == "pixels") {
      if (inputs.size() != 1) UsageError("a result computed from --pixels replays from one pixels .npy");
      report.emplace(cliprt::ReplayReport::Compare(
          saved, RecomputeFromPixels(args, doc, inputs[0], "'" + saved_path + "'")));
    } else {
      if (inputs.empty()) {
        UsageError("'" + saved_path + "' records no inputs; give the image files or texts");
      }
      report.emplace(cliprt::ReplayReport::Run(saved, inputs, args.Get("model"), args.Get("tokenizer"),
                                               static_cast<int>(args.GetInt("threads", 0, 0, 1024))));
    }
  }

  const bool same = report->identical() ||
                    (report->substantively_identical() && report->values_differing() == 0);
  if (args.Has("json")) {
    JsonWriter w;
    w.BeginObject();
    w.Key("identical").Bool(report->identical());
    w.Key("substantively_identical").Bool(same);
    w.Key("values_differing").Int(report->values_differing());
    w.Key("max_abs_diff").Double(report->max_abs_diff());
    w.Key("differences").BeginArray();
    for (const cliprt::Difference& d : report->differences()) {
      w.BeginObject();
      w.Key("field").String(d.field);
      w.Key("saved").String(d.saved);
      w.Key("recomputed").String(d.recomputed);
      w.Key("substantive").Bool(d.substantive);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    std::fputs(w.str().c_str(), stdout);
  } else {
    std::printf("%s: %s\n", saved_path.c_str(),
                report->identical() ? "identical"
                : same              ? "identical (only informational fields differ)"
                                    : "DIFFERS");
    std::string text(report->text());
    if (!text.empty()) {
      if (text.back() != '\n') text += '\n';
      std::fputs(text.c_str(), stdout);
    }
  }
  return same ? kExitOk : kExitDiffers;
}

}  // namespace cliprt_cli
