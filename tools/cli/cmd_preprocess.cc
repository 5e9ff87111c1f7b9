// cliprt preprocess MODEL IMAGE... --out pixels.npy
#include <cstdio>
#include <vector>

#include "args.h"
#include "cli_error.h"
#include "commands.h"
#include "inputs.h"
#include "model_options.h"
#include "npy_file.h"
#include "progress.h"

namespace cliprt_cli {
namespace {

constexpr const char* kHelp =
    "usage: cliprt preprocess MODEL IMAGE... --out pixels.npy [common options]\n"
    "\n"
    "Decodes and preprocesses images exactly as the vision tower receives them\n"
    "and writes float32 [N, 3, S, S] (S = the model's image size), row i =\n"
    "image i. An IMAGE may be a folder: its image files in name order.\n"
    "\n"
    "  --out FILE   .npy to write (required)\n"
    "common options: --preset NAME --threads N --isa L\n"
    "\n"
    "example:\n"
    "  cliprt preprocess ViT-B-32.pt cat.jpg dog.png --out pixels.npy\n";

}  // namespace

int RunPreprocess(Argv argv) {
  std::vector<OptionSpec> specs(std::begin(kModelOptionSpecs), std::end(kModelOptionSpecs));
  specs.push_back({"out"});
  const Args args = Args::Parse("preprocess", argv, specs);
  if (args.help()) return std::fputs(kHelp, stdout), kExitOk;
  if (args.positionals().size() < 2) UsageError("expected MODEL and at least one IMAGE (try --help)");
  if (!args.Has("out")) UsageError("--out pixels.npy is required");
  const std::vector<std::string> images = ExpandImageArgs(
      std::vector<std::string>(args.positionals().begin() + 1, args.positionals().end()));
  const cliprt::Model model = LoadModel(args, args.positionals()[0], CLIPRT_TOWERS_VISION);
  std::vector<float> pixels;
  {
    Spinner spinner("preprocessing " + std::to_string(images.size()) + " images");
    pixels = cliprt::PreprocessImageFiles(model, images);
  }
  const int64_t side = model.info().image_size;
  const int64_t shape[4] = {static_cast<int64_t>(images.size()), 3, side, side};
  WriteNpyF32(args.Get("out"), pixels, shape);
  return kExitOk;
}

}  // namespace cliprt_cli
