// cliprt — command-line tool over the public C++ API (cliprt.hpp) only.
// Each command lives in its own cmd_*.cc; docs/cli.md describes them all.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "cli_error.h"
#include "cliprt/cliprt.hpp"
#include "commands.h"
#include "model_options.h"

namespace {

constexpr const char* kUsage =
    "usage: cliprt <command> [options]   (cliprt <command> --help for details)\n"
    "\n"
    "commands:\n"
    "  info MODEL                    JSON: identity, architecture, preprocessing, tokenizer\n"
    "  tokenize MODEL TEXT...        token ids exactly as the text tower sees them\n"
    "  preprocess MODEL IMAGE...     pixels exactly as the vision tower sees them (.npy)\n"
    "  embed-image MODEL IMAGE...    image embeddings (.npy) with provenance\n"
    "  embed-text MODEL TEXT...      text embeddings (.npy) with provenance\n"
    "  classify MODEL IMAGE...       zero-shot classification (JSON)\n"
    "  index build|add|search|info   retrieval index\n"
    "  replay RESULT.json            recompute a saved result and compare\n"
    "  bench MODEL                   throughput on this machine (JSON)\n"
    "  selfcheck                     CPU features and kernel self-test\n"
    "  version                       library version and build revision\n"
    "\n"
    "common options: --tokenizer PATH  --preset openai|openclip|hf-clip|siglip\n"
    "                --threads N  --precision fp32|bf16|int8  --isa scalar|avx2|avx512\n"
    "\n"
    "exit status: 0 ok, 1 an input or the library failed, 2 bad command line,\n"
    "             3 replay found a difference\n"
    "\n"
    "example:\n"
    "  cliprt classify ViT-B-32.pt cat.jpg --labels \"cat,dog\" --tokenizer bpe_simple_vocab_16e6.txt.gz\n";

using Runner = int (*)(cliprt_cli::Argv);

struct Command {
  const char* name;
  Runner run;
};

constexpr Command kCommands[] = {
    {"info", cliprt_cli::RunInfo},
    {"tokenize", cliprt_cli::RunTokenize},
    {"preprocess", cliprt_cli::RunPreprocess},
    {"embed-image", cliprt_cli::RunEmbedImage},
    {"embed-text", cliprt_cli::RunEmbedText},
    {"classify", cliprt_cli::RunClassify},
    {"index", cliprt_cli::RunIndex},
    {"replay", cliprt_cli::RunReplay},
    {"bench", cliprt_cli::RunBench},
    {"selfcheck", cliprt_cli::RunSelfCheck},
    {"version", cliprt_cli::RunVersion},
};

// The library's messages can span lines; the CLI promises one line.
std::string OneLine(std::string message) {
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return message;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return cliprt_cli::kExitUsage;
  }
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    std::fputs(kUsage, stdout);
    return cliprt_cli::kExitOk;
  }
  if (name == "--version") return cliprt_cli::RunVersion({});
  // Before any library call: kernel dispatch is fixed at the first one.
  cliprt_cli::ApplyIsaOption(argc, argv);
  for (const Command& command : kCommands) {
    if (name != command.name) continue;
    try {
      return command.run(cliprt_cli::Argv(argv + 2, static_cast<size_t>(argc - 2)));
    } catch (const cliprt_cli::CliError& e) {
      std::fprintf(stderr, "cliprt %s: %s\n", argv[1], OneLine(e.what()).c_str());
      return e.exit_code();
    } catch (const cliprt::Error& e) {
      std::fprintf(stderr, "cliprt %s: %s\n", argv[1], OneLine(e.what()).c_str());
      return cliprt_cli::kExitFailure;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "cliprt %s: %s\n", argv[1], OneLine(e.what()).c_str());
      return cliprt_cli::kExitFailure;
    }
  }
  std::fprintf(stderr, "cliprt: unknown command '%s' (try cliprt --help)\n", argv[1]);
  return cliprt_cli::kExitUsage;
}
