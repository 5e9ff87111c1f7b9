// cliprt embed-image / embed-text — embeddings as .npy, with provenance and
// saved results for replay.
#include <cstdio>
#include <vector>

#include "args.h"
#include "cli_error.h"
#include "command_helpers.h"
#include "commands.h"
#include "inputs.h"
#include "model_options.h"
#include "npy_file.h"
#include "progress.h"
#include "result_files.h"

namespace cliprt_cli {
namespace {

constexpr const char* kImageHelp =
    "usage: cliprt embed-image MODEL (IMAGE... | --pixels pixels.npy) --out emb.npy\n"
    "                          [--normalize] [--provenance prov.json] [--save-result R.json]\n"
    "                          [common options]\n"
    "\n"
    "Image embeddings, float32 [N, D], row i = image i, exactly as the reference's\n"
    "encode_image / get_image_features (unnormalized unless --normalize). An IMAGE\n"
    "may be a folder: its image files in name order.\n"
    "\n"
    "  --pixels F        encode preprocessed float32 [N, 3, S, S] (from cliprt preprocess)\n"
    "  --out F           .npy to write\n"
    "  --normalize       L2-normalize each row\n"
    "  --provenance F    write the provenance JSON\n"
    "  --save-result F   write the full result (values + provenance + inputs) for\n"
    "                    cliprt replay\n"
    "  (at least one of --out, --save-result is required)\n"
    "common options: --preset NAME --threads N --precision P --isa L\n"
    "\n"
    "example:\n"
    "  cliprt embed-image ViT-B-32.pt photos/ --out emb.npy --save-result emb.json\n";

constexpr const char* kTextHelp =
    "usage: cliprt embed-text MODEL (TEXT... | --texts-file F) --out emb.npy\n"
    "                         [--normalize] [--provenance prov.json] [--save-result R.json]\n"
    "                         [common options]\n"
    "\n"
    "Text embeddings, float32 [N, D], row i = text i (TEXT arguments first, then\n"
    "the lines of --texts-file), exactly as the reference's encode_text /\n"
    "get_text_features (unnormalized unless --normalize). Use -- before texts that\n"
    "start with '-'.\n"
    "\n"
    "  --texts-file F    one UTF-8 text per line, literally (empty line = empty text;\n"
    "                    a CR before LF and a leading BOM are dropped)\n"
    "  --out F           .npy to write\n"
    "  --normalize       L2-normalize each row\n"
    "  --provenance F    write the provenance JSON\n"
    "  --save-result F   write the full result for cliprt replay\n"
    "common options: --tokenizer PATH --threads N --precision P --isa L\n"
    "\n"
    "example:\n"
    "  cliprt embed-text ViT-B-32.pt --tokenizer bpe_simple_vocab_16e6.txt.gz \\\n"
    "      \"a photo of a cat\" \"a photo of a dog\" --out text.npy\n";

std::vector<OptionSpec> EmbedSpecs() {
  std::vector<OptionSpec> specs(std::begin(kModelOptionSpecs), std::end(kModelOptionSpecs));
  for (const char* name : {"out", "provenance", "save-result"}) specs.push_back({name});
  specs.push_back({"normalize", false});
  return specs;
}

void RequireOutput(const Args& args) {
  if (!args.Has("out") && !args.Has("save-result")) {
    UsageError("nothing to write: give --out emb.npy and/or --save-result R.json");
  }
}

}  // namespace

int RunEmbedImage(Argv argv) {
  std::vector<OptionSpec> specs = EmbedSpecs();
  specs.push_back({"pixels"});
  const Args args = Args::Parse("embed-image", argv, specs);
  if (args.help()) return std::fputs(kImageHelp, stdout), kExitOk;
  if (args.positionals().empty()) UsageError("expected MODEL (try --help)");
  RequireOutput(args);
  const bool normalize = args.Has("normalize");
  const std::vector<std::string> rest(args.positionals().begin() + 1, args.positionals().end());
  if (args.Has("pixels")) {
    if (!rest.empty()) UsageError("give either IMAGE arguments or --pixels, not both");
    const std::string pixels_path = args.Get("pixels");
    const NpyArray pixels = ReadNpy(pixels_path);
    if (!pixels.is_float || pixels.shape.size() != 4 || pixels.shape[1] != 3 ||
        pixels.shape[2] != pixels.shape[3] || pixels.shape[0] < 1) {
      InputError("--pixels '" + pixels_path + "' must be float32 [N, 3, S, S] with N >= 1");
    }
    const cliprt::Model model = LoadModel(args, args.positionals()[0], CLIPRT_TOWERS_VISION);
    if (pixels.shape[2] != model.info().image_size) {
      InputError("--pixels '" + pixels_path + "' has side " + std::to_string(pixels.shape[2]) +
                 ", the model wants " + std::to_string(model.info().image_size));
    }
    Spinner spinner("encoding " + std::to_string(pixels.shape[0]) + " images");
    const cliprt::Embeddings emb =
        model.EncodePixels(pixels.floats, static_cast<size_t>(pixels.shape[0]),
                           static_cast<size_t>(pixels.shape[2]), normalize);
    WriteEmbeddingOutputs(args, emb, args.positionals()[0], "pixels", AbsolutePaths({pixels_path}));
    return kExitOk;
  }
  if (rest.empty()) UsageError("no images given (IMAGE arguments, a folder, or --pixels)");
  const std::vector<std::string> images = ExpandImageArgs(rest);
  const cliprt::Model model = LoadModel(args, args.positionals()[0], CLIPRT_TOWERS_VISION);
  Spinner spinner("encoding " + std::to_string(images.size()) + " images");
  const cliprt::Embeddings emb = model.EncodeImageFiles(images, normalize);
  WriteEmbeddingOutputs(args, emb, args.positionals()[0], "images", AbsolutePaths(images));
  return kExitOk;
}

int RunEmbedText(Argv argv) {
  std::vector<OptionSpec> specs = EmbedSpecs();
  specs.push_back({"texts-file"});
  const Args args = Args::Parse("embed-text", argv, specs);
  if (args.help()) return std::fputs(kTextHelp, stdout), kExitOk;
  if (args.positionals().empty()) UsageError("expected MODEL (try --help)");
  RequireOutput(args);
  const std::vector<std::string> texts = CollectTexts(args, 1);
  const cliprt::Model model = LoadModel(args, args.positionals()[0], CLIPRT_TOWERS_TEXT);
  Spinner spinner("encoding " + std::to_string(texts.size()) + " texts");
  const cliprt::Embeddings emb = model.EncodeTexts(texts, args.Has("normalize"));
  WriteEmbeddingOutputs(args, emb, args.positionals()[0], "texts", texts);
  return kExitOk;
}

}  // namespace cliprt_cli
