// cliprt index build|add|search|info — the retrieval index from the CLI.
//
// Ids are uint64. Images get consecutive ids (from --start-id, default 0 for
// build and one past the largest recorded id for add), and their paths are
// recorded beside the index in INDEX.names.tsv ("id<TAB>path" per line) so
// search hits can name them; embeddings from a .npy take their ids from
// --ids (int64/uint64 .npy or a text file, one id per line) or 0..N-1.
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "args.h"
#include "cli_error.h"
#include "command_helpers.h"
#include "commands.h"
#include "inputs.h"
#include "json_writer.h"
#include "model_options.h"
#include "npy_file.h"
#include "progress.h"

namespace cliprt_cli {
namespace {

constexpr const char* kHelp =
    "usage: cliprt index build --out INDEX (--model MODEL IMAGE... | --embeddings E.npy\n"
    "                          [--ids IDS] [--model MODEL]) [--start-id N] [--batch N]\n"
    "       cliprt index add INDEX (--model MODEL IMAGE... | --embeddings E.npy [--ids IDS])\n"
    "                          [--start-id N] [--batch N]\n"
    "       cliprt index search INDEX (--text T... | --texts-file F | --image IMG... |\n"
    "                          --vector V.npy) [--model MODEL] [--k K]\n"
    "       cliprt index info INDEX\n"
    "\n"
    "A cosine-similarity retrieval index of embeddings by uint64 id, stored in one\n"
    "file (.cliprt-index). It remembers the checkpoint its embeddings came from and\n"
    "refuses embeddings of another one.\n"
    "\n"
    "  build    from images (a folder = its image files in name order; ids\n"
    "           --start-id, +1, ...; paths recorded in INDEX.names.tsv) or from an\n"
    "           embeddings .npy [N, D] (ids from --ids, else 0..N-1; with --model\n"
    "           the index takes that checkpoint's identity)\n"
    "  add      more images or embeddings to an existing index (rewritten in place)\n"
    "  search   top-K hits (default 10) per query as JSON with provenance; text and\n"
    "           image queries need --model, --vector takes raw rows [Q, D]\n"
    "  info     entries and width\n"
    "\n"
    "  --ids F        int64 .npy or text file (one decimal id per line)\n"
    "  --batch N      images encoded per step (default 64; progress between steps)\n"
    "common options: --tokenizer PATH --preset NAME --threads N --precision P --isa L\n"
    "\n"
    "examples:\n"
    "  cliprt index build --model ViT-B-32.pt photos/ --out photos.cliprt-index\n"
    "  cliprt index search photos.cliprt-index --model ViT-B-32.pt --text \"a red car\" --k 5\n";

std::string NamesPath(const std::string& index_path) { return index_path + ".names.tsv"; }

std::map<uint64_t, std::string> ReadNames(const std::string& index_path) {
  std::map<uint64_t, std::string> names;
  std::error_code ec;
  if (!std::filesystem::exists(NamesPath(index_path), ec)) return names;
  for (const std::string& line : ReadTextLines(NamesPath(index_path))) {
    const size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    names[std::strtoull(line.substr(0, tab).c_str(), nullptr, 10)] = line.substr(tab + 1);
  }
  return names;
}

void AppendNames(const std::string& index_path, const std::vector<uint64_t>& ids,
                 const std::vector<std::string>& names, bool truncate) {
  std::ofstream out(NamesPath(index_path), truncate ? std::ios::trunc : std::ios::app);
  if (!out) InputError("cannot write '" + NamesPath(index_path) + "'");
  for (size_t i = 0; i < ids.size(); ++i) out << ids[i] << '\t' << names[i] << '\n';
  if (!out) InputError("writing '" + NamesPath(index_path) + "' failed");
}

std::vector<uint64_t> ReadIds(const std::string& path, size_t expected) {
  std::vector<uint64_t> ids;
  if (path.size() >= 4 && path.compare(path.size() - 4, 4, ".npy") == 0) {
    const NpyArray a = ReadNpy(path);
    if (a.is_float || a.shape.size() != 1) InputError("--ids '" + path + "' must be a 1-D integer .npy");
    for (int64_t v : a.ints) ids.push_back(static_cast<uint64_t>(v));
  } else {
    size_t line_no = 0;
    for (const std::string& line : ReadTextLines(path)) {
      ++line_no;
      char* end = nullptr;
      errno = 0;
      const unsigned long long v = std::strtoull(line.c_str(), &end, 10);
      if (line.empty() || line[0] == '-' || end != line.c_str() + line.size() || errno != 0) {
        InputError("--ids '" + path + "' line " + std::to_string(line_no) + ": '" + line +
                   "' is not a decimal uint64");
      }
      ids.push_back(v);
    }
  }
  if (ids.size() != expected) {
    InputError("--ids '" + path + "' holds " + std::to_string(ids.size()) + " ids for " +
               std::to_string(expected) + " embeddings");
  }
  return ids;
}

NpyArray ReadEmbeddingsNpy(const std::string& path) {
  NpyArray a = ReadNpy(path);
  if (!a.is_float || a.shape.size() != 2 || a.shape[0] < 1 || a.shape[1] < 1) {
    InputError("--embeddings '" + path + "' must be float32 [N, D] with N, D >= 1");
  }
  return a;
}

struct Added {
  size_t count = 0;
  std::vector<uint64_t> named_ids;  // images: their ids and paths, for INDEX.names.tsv
  std::vector<std::string> names;
};

// Adds images or .npy rows to `index` per the options. Names are written by
// the caller only after the index is saved, so a failed add leaves both
// files as they were.
Added AddEntries(const Args& args, cliprt::Index& index, const std::optional<cliprt::Model>& model,
                 const std::vector<std::string>& image_args, uint64_t start_id) {
  Added added;
  if (args.Has("embeddings")) {
    if (!image_args.empty()) UsageError("give either images or --embeddings, not both");
    const NpyArray e = ReadEmbeddingsNpy(args.Get("embeddings"));
    const size_t rows = static_cast<size_t>(e.shape[0]);
    std::vector<uint64_t> ids;
    if (args.Has("ids")) {
      ids = ReadIds(args.Get("ids"), rows);
    } else {
      for (size_t i = 0; i < rows; ++i) ids.push_back(start_id + i);
    }
    index.AddValues(ids, e.floats);
    added.count = rows;
    return added;
  }
  if (image_args.empty()) UsageError("nothing to add: give images (with --model) or --embeddings");
  if (!model) UsageError("images need --model MODEL");
  const std::vector<std::string> images = ExpandImageArgs(image_args);
  const size_t batch = static_cast<size_t>(args.GetInt("batch", 64, 1, 1 << 16));
  ProgressBar bar("indexing", static_cast<int64_t>(images.size()));
  for (size_t begin = 0; begin < images.size(); begin += batch) {
    const size_t end = std::min(images.size(), begin + batch);
    const std::vector<std::string> chunk(images.begin() + static_cast<long>(begin),
                                         images.begin() + static_cast<long>(end));
    std::vector<uint64_t> ids;
    for (size_t i = begin; i < end; ++i) ids.push_back(start_id + i);
    index.Add(ids, model->EncodeImageFiles(chunk));
    added.named_ids.insert(added.named_ids.end(), ids.begin(), ids.end());
    added.names.insert(added.names.end(), chunk.begin(), chunk.end());
    bar.Update(static_cast<int64_t>(end));
  }
  added.count = images.size();
  return added;
}

std::vector<OptionSpec> IndexSpecs() {
  std::vector<OptionSpec> specs(std::begin(kModelOptionSpecs), std::end(kModelOptionSpecs));
  for (const char* name : {"out", "model", "embeddings", "ids", "start-id", "batch", "vector",
                           "k", "texts-file"}) {
    specs.push_back({name});
  }
  specs.push_back({"text", true, true});
  specs.push_back({"image", true, true});
  return specs;
}

void PrintSummary(const std::string& path, const cliprt::Index& index, size_t added) {
  JsonWriter w;
  w.BeginObject();
  w.Key("index").String(path);
  w.Key("entries").Int(static_cast<int64_t>(index.size()));
  w.Key("dim").Int(static_cast<int64_t>(index.dim()));
  w.Key("added").Int(static_cast<int64_t>(added));
  w.EndObject();
  std::fputs(w.str().c_str(), stdout);
}

int Build(const Args& args) {
  if (!args.Has("out")) UsageError("index build needs --out INDEX");
  const std::string out = args.Get("out");
  std::optional<cliprt::Model> model;
  if (args.Has("model")) {
    model.emplace(LoadModel(args, args.Get("model"), CLIPRT_TOWERS_VISION));
  }
  std::optional<cliprt::Index> index;
  if (model) {
    index.emplace(cliprt::Index::Create(*model));
  } else {
    if (!args.Has("embeddings")) UsageError("images need --model MODEL");
    const NpyArray e = ReadEmbeddingsNpy(args.Get("embeddings"));
    index.emplace(cliprt::Index::Create(static_cast<size_t>(e.shape[1])));
  }
  const uint64_t start = static_cast<uint64_t>(args.GetInt("start-id", 0, 0, INT64_MAX));
  const std::vector<std::string> images(args.positionals().begin() + 1, args.positionals().end());
  const Added added = AddEntries(args, *index, model, images, start);
  index->Save(out);
  AppendNames(out, added.named_ids, added.names, /*truncate=*/true);
  PrintSummary(out, *index, added.count);
  return kExitOk;
}

int Add(const Args& args) {
  if (args.positionals().size() < 2) UsageError("index add needs INDEX (try --help)");
  const std::string path = args.positionals()[1];
  cliprt::Index index = cliprt::Index::Load(path);
  std::optional<cliprt::Model> model;
  if (args.Has("model")) model.emplace(LoadModel(args, args.Get("model"), CLIPRT_TOWERS_VISION));
  uint64_t start = index.size();
  if (const auto names = ReadNames(path); !names.empty()) start = std::max(start, names.rbegin()->first + 1);
  start = static_cast<uint64_t>(args.GetInt("start-id", static_cast<int64_t>(start), 0, INT64_MAX));
  const std::vector<std::string> images(args.positionals().begin() + 2, args.positionals().end());
  const Added added = AddEntries(args, index, model, images, start);
  index.Save(path);
  AppendNames(path, added.named_ids, added.names, /*truncate=*/false);
  PrintSummary(path, index, added.count);
  return kExitOk;
}

int Search(const Args& args) {
  if (args.positionals().size() != 2) UsageError("index search needs exactly one INDEX (try --help)");
  const std::string path = args.positionals()[1];
  const cliprt::Index index = cliprt::Index::Load(path);
  const size_t k = static_cast<size_t>(args.GetInt("k", 10, 1, 1 << 20));
  std::vector<std::string> texts = args.GetAll("text");
  if (const auto file = args.GetOptional("texts-file")) {
    const std::vector<std::string> lines = ReadTextLines(*file);
    texts.insert(texts.end(), lines.begin(), lines.end());
  }
  const std::vector<std::string> image_args = args.GetAll("image");
  const int kinds = (!texts.empty()) + (!image_args.empty()) + args.Has("vector");
  if (kinds != 1) UsageError("give queries of exactly one kind: --text/--texts-file, --image or --vector");
  std::vector<std::string> query_names;
  std::optional<cliprt::SearchResult> result;
  if (args.Has("vector")) {
    const NpyArray v = ReadNpy(args.Get("vector"));
    if (!v.is_float || v.shape.empty() || v.shape.size() > 2 || v.shape.back() != static_cast<int64_t>(index.dim())) {
      InputError("--vector '" + args.Get("vector") + "' must be float32 [Q, " +
                 std::to_string(index.dim()) + "] or [" + std::to_string(index.dim()) + "]");
    }
    const size_t rows = v.shape.size() == 1 ? 1 : static_cast<size_t>(v.shape[0]);
    for (size_t i = 0; i < rows; ++i) query_names.push_back("row " + std::to_string(i));
    result.emplace(index.SearchValues(v.floats, k));
  } else {
    if (!args.Has("model")) UsageError("text and image queries need --model MODEL");
    const bool by_text = !texts.empty();
    const cliprt::Model model =
        LoadModel(args, args.Get("model"), by_text ? CLIPRT_TOWERS_TEXT : CLIPRT_TOWERS_VISION);
    if (by_text) {
      query_names = texts;
      result.emplace(index.Search(model.EncodeTexts(texts), k));
    } else {
      query_names = ExpandImageArgs(image_args);
      result.emplace(index.Search(model.EncodeImageFiles(query_names), k));
    }
  }
  const std::map<uint64_t, std::string> names = ReadNames(path);
  JsonWriter w;
  w.BeginObject();
  w.Key("queries").BeginArray();
  for (size_t q = 0; q < result->num_queries(); ++q) {
    w.BeginObject();
    w.Key("query").String(query_names[q]);
    w.Key("hits").BeginArray();
    for (const cliprt::SearchHit& hit : result->hits(q)) {
      w.BeginObject();
      w.Key("id").String(std::to_string(hit.id));
      w.Key("score").Float(hit.score);
      if (const auto it = names.find(hit.id); it != names.end()) w.Key("name").String(it->second);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("provenance").Raw(result->provenance_json());
  w.EndObject();
  std::fputs(w.str().c_str(), stdout);
  return kExitOk;
}

int Info(const Args& args) {
  if (args.positionals().size() != 2) UsageError("index info needs exactly one INDEX");
  const std::string path = args.positionals()[1];
  const cliprt::Index index = cliprt::Index::Load(path);
  std::error_code ec;
  JsonWriter w;
  w.BeginObject();
  w.Key("index").String(path);
  w.Key("entries").Int(static_cast<int64_t>(index.size()));
  w.Key("dim").Int(static_cast<int64_t>(index.dim()));
  w.Key("file_bytes").Int(static_cast<int64_t>(std::filesystem::file_size(path, ec)));
  w.Key("named_entries").Int(static_cast<int64_t>(ReadNames(path).size()));
  w.Key("identity").Raw(index.identity_json());
  w.EndObject();
  std::fputs(w.str().c_str(), stdout);
  return kExitOk;
}

}  // namespace

int RunIndex(Argv argv) {
  const Args args = Args::Parse("index", argv, IndexSpecs());
  if (args.help() || args.positionals().empty()) {
    std::fputs(kHelp, args.help() ? stdout : stderr);
    return args.help() ? kExitOk : kExitUsage;
  }
  const std::string& sub = args.positionals()[0];
  if (sub == "build") return Build(args);
  if (sub == "add") return Add(args);
  if (sub == "search") return Search(args);
  if (sub == "info") return Info(args);
  UsageError("unknown index command '" + sub + "' (build, add, search, info)");
}

}  // namespace cliprt_cli
