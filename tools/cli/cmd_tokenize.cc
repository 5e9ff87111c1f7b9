// cliprt tokenize MODEL [TEXT...] [--texts-file F] [--out ids.npy]
#include <cstdio>
#include <vector>

#include "args.h"
#include "cli_error.h"
#include "command_helpers.h"
#include "commands.h"
#include "inputs.h"
#include "json_writer.h"
#include "model_options.h"
#include "npy_file.h"

namespace cliprt_cli {
namespace {

constexpr const char* kHelp =
    "usage: cliprt tokenize MODEL [TEXT...] [--texts-file F] [--out ids.npy] [common options]\n"
    "\n"
    "Token ids exactly as the text tower receives them: int64 [N, context],\n"
    "row i = text i (the TEXT arguments first, then the lines of --texts-file).\n"
    "With --out, writes a .npy; without, prints JSON with each text's ids and\n"
    "how many ids truncation dropped.\n"
    "\n"
    "  --texts-file F  one UTF-8 text per line, literally (empty line = empty text;\n"
    "                  a CR before LF and a leading BOM are dropped)\n"
    "  --out FILE      write int64 [N, context] .npy\n"
    "common options: --tokenizer PATH --preset NAME --threads N --precision P --isa L\n"
    "\n"
    "example:\n"
    "  cliprt tokenize ViT-B-32.pt --tokenizer bpe_simple_vocab_16e6.txt.gz \"a photo of a cat\"\n";

}  // namespace

std::vector<std::string> CollectTexts(const Args& args, size_t first_positional) {
  std::vector<std::string> texts(args.positionals().begin() + static_cast<long>(first_positional),
                                 args.positionals().end());
  if (const auto file = args.GetOptional("texts-file")) {
    const std::vector<std::string> lines = ReadTextLines(*file);
    texts.insert(texts.end(), lines.begin(), lines.end());
  }
  if (texts.empty()) UsageError("no texts given (TEXT arguments or --texts-file)");
  return texts;
}

int RunTokenize(Argv argv) {
  std::vector<OptionSpec> specs(std::begin(kModelOptionSpecs), std::end(kModelOptionSpecs));
  specs.push_back({"texts-file"});
  specs.push_back({"out"});
  const Args args = Args::Parse("tokenize", argv, specs);
  if (args.help()) return std::fputs(kHelp, stdout), kExitOk;
  if (args.positionals().empty()) UsageError("expected MODEL then texts (try --help)");
  const std::vector<std::string> texts = CollectTexts(args, 1);
  const cliprt::Model model = LoadModel(args, args.positionals()[0], CLIPRT_TOWERS_TEXT);
  const cliprt::TokenIds ids = cliprt::Tokenize(model, texts);
  if (const auto out = args.GetOptional("out")) {
    const int64_t shape[2] = {static_cast<int64_t>(ids.rows), static_cast<int64_t>(ids.cols)};
    WriteNpyI64(*out, ids.ids, shape);
    return kExitOk;
  }
  JsonWriter w;
  w.BeginObject();
  w.Key("context_length").Int(static_cast<int64_t>(ids.cols));
  w.Key("texts").BeginArray();
  for (size_t i = 0; i < ids.rows; ++i) {
    w.BeginObject();
    w.Key("text").String(texts[i]);
    w.Key("ids").IntArray(ids.ids.data() + i * ids.cols, ids.cols);
    w.Key("dropped_tokens").Int(ids.dropped[i]);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  std::fputs(w.str().c_str(), stdout);
  return kExitOk;
}

}  // namespace cliprt_cli
