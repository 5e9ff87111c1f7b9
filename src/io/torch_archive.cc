#include "io/torch_archive.h"

#include <cstring>
#include <unordered_set>

#include "io/pickle.h"
#include "io/zip_reader.h"

namespace cliprt::io {
namespace {

using Kind = PickleNode::Kind;
constexpr int kMaxModuleDepth = 64;

struct Found {
  std::string name;
  int32_t tensor_node;
};

class TensorCollector {
 public:
  TensorCollector(const PickleGraph& g, const std::string& source) : g_(g), source_(source) {}

  // TorchScript module: every tensor attribute along the object path.
  Status WalkModule(int32_t object, const std::string& prefix, int depth) {
    if (depth > kMaxModuleDepth) {
      return CorruptDataError("torch archive " + source_ + ": modules nested deeper than " +
                              std::to_string(kMaxModuleDepth) + " at \"" + prefix + "\"");
    }
    if (!visited_.insert(object).second) return Status::Ok();  // shared or cyclic
    const PickleNode& obj = g_.node(object);
    if (obj.ref < 0) return Status::Ok();  // no state
    const PickleNode& attrs = g_.node(obj.ref);
    for (size_t i = 0; i + 1 < attrs.items.size(); i += 2) {
      const PickleNode& key = g_.node(attrs.items[i]);
      if (key.kind != Kind::kString) continue;
      const int32_t value = attrs.items[i + 1];
      const std::string path = prefix.empty() ? key.text : prefix + "." + key.text;
      const PickleNode& v = g_.node(value);
      if (v.kind == Kind::kTensor) {
        found_.push_back({path, value});
      } else if (v.kind == Kind::kObject) {
        RETURN_IF_ERROR(WalkModule(value, path, depth + 1));
      }
    }
    return Status::Ok();
  }

  // State dict: string keys → tensors; other values are not weights.
  Status WalkStateDict(int32_t dict) {
    const PickleNode& d = g_.node(dict);
    for (size_t i = 0; i + 1 < d.items.size(); i += 2) {
      const PickleNode& key = g_.node(d.items[i]);
      const PickleNode& v = g_.node(d.items[i + 1]);
      if (v.kind != Kind::kTensor) continue;
      if (key.kind != Kind::kString) {
        return CorruptDataError("torch archive " + source_ + ": state dict key of type " +
                                PickleKindName(key.kind) + " (expected str)");
      }
      found_.push_back({key.text, d.items[i + 1]});
    }
    return Status::Ok();
  }

  std::vector<Found>& found() { return found_; }

 private:
  const PickleGraph& g_;
  const std::string& source_;
  std::unordered_set<int32_t> visited_;
  std::vector<Found> found_;
};

}  // namespace

bool LooksLikeLegacyTorch(const uint8_t* data, size_t size) {
  // PROTO 2, LONG1 of 10 bytes holding 0x1950a86a20f9469cfc6c.
  static const uint8_t kMagic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                                   0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
  return size >= sizeof(kMagic) && std::memcmp(data, kMagic, sizeof(kMagic)) == 0;
}

StatusOr<TensorSet> ReadTorchArchive(const ByteSource& src, const TensorFilter& filter,
                                     TorchArchiveInfo* info_out) {
  const std::string& file = src.name;
  if (LooksLikeLegacyTorch(src.data, src.size)) {
    return UnsupportedError("torch file " + file +
                            " uses the unsupported legacy (pre-1.6, non-zip) torch.save format; "
                            "re-save it with a current torch.save");
  }
  ASSIGN_OR_RETURN(ZipArchive zip, ZipArchive::Open(src));
  if (zip.entries().empty()) return CorruptDataError("torch archive " + file + " is empty");
  TorchArchiveInfo info;
  const std::string& first = zip.entries().front().name;
  const size_t slash = first.find('/');
  if (slash == std::string::npos || slash == 0) {
    return CorruptDataError("torch archive " + file + ": first entry \"" + first +
                            "\" is not inside a top-level directory");
  }
  info.top_dir = first.substr(0, slash);
  const std::string prefix = info.top_dir + "/";
  const ZipEntry* pkl = zip.Find(prefix + "data.pkl");
  if (pkl == nullptr) {
    return NotFoundError("torch archive " + file + ": no " + prefix + "data.pkl record");
  }
  // Storages are read as little-endian; newer writers record the order.
  if (const ZipEntry* bo = zip.Find(prefix + "byteorder")) {
    ASSIGN_OR_RETURN(std::string_view order, zip.ReadStoredVerified(*bo));
    if (order != "little") {
      return UnsupportedError("torch archive " + file + ": byteorder \"" +
                              std::string(order.substr(0, 16)) + "\" is not supported (little-endian only)");
    }
  }
  bool has_code = false;
  for (const ZipEntry& e : zip.entries()) {
    if (e.name.rfind(prefix + "code/", 0) == 0) {
      has_code = true;
      break;
    }
  }
  info.torchscript = has_code && zip.Find(prefix + "constants.pkl") != nullptr;

  ASSIGN_OR_RETURN(std::string_view pkl_bytes, zip.ReadStoredVerified(*pkl));
  ASSIGN_OR_RETURN(PickleGraph graph, Unpickle(pkl_bytes, file + ":" + pkl->name));
  TensorCollector collector(graph, file);
  const PickleNode& root = graph.node(graph.root);
  if (root.kind == Kind::kObject) {
    RETURN_IF_ERROR(collector.WalkModule(graph.root, "", 0));
  } else if (root.kind == Kind::kDict) {
    int32_t dict = graph.root;
    const int32_t nested = graph.DictGet(dict, "state_dict");
    if (nested >= 0 && graph.node(nested).kind == Kind::kDict) {
      dict = nested;
      info.unwrapped_state_dict = true;
    }
    RETURN_IF_ERROR(collector.WalkStateDict(dict));
  } else {
    return UnsupportedError("torch archive " + file + ": top-level object is a " +
                            PickleKindName(root.kind) + ", not a state dict or module");
  }
  std::vector<Found>& found = collector.found();
  if (found.empty()) return NotFoundError("torch archive " + file + ": no tensors found");

  if (info.torchscript) {
    // OpenAI's bookkeeping attributes are not weights.
    std::erase_if(found, [](const Found& f) {
      return f.name == "input_resolution" || f.name == "context_length" ||
             f.name == "vocab_size";
    });
  }
  bool all_module = !found.empty();
  for (const Found& f : found) all_module = all_module && f.name.rfind("module.", 0) == 0;
  if (all_module) {
    for (Found& f : found) f.name.erase(0, 7);
    info.stripped_module_prefix = true;
  }

  TensorSet out;
  std::unordered_set<std::string> names;
  for (const Found& f : found) {
    const std::string where = "torch archive " + file + " tensor \"" + f.name + "\"";
    if (!names.insert(f.name).second) return CorruptDataError(where + ": duplicate name");
    const PickleNode& t = graph.node(f.tensor_node);
    const PickleNode& storage = graph.node(t.ref);
    const TensorLayout& layout = graph.tensor_layouts[static_cast<size_t>(t.tensor)];
    auto extent = CheckedExtent(layout.shape, layout.strides);
    if (!extent.ok()) return extent.status().WithContext(where);
    int64_t end = 0;
    if (*extent > 0 && (__builtin_add_overflow(t.int_value, *extent, &end) ||
                        end > storage.int_value)) {
      return CorruptDataError(where + ": offset " + std::to_string(t.int_value) + " + extent " +
                              std::to_string(*extent) + " exceeds its storage of " +
                              std::to_string(storage.int_value) + " elements");
    }
    TensorInfo ti{f.name, storage.dtype, layout.shape};
    if (!filter || filter(f.name)) {
      const std::string record = prefix + "data/" + storage.text;
      const ZipEntry* entry = zip.Find(record);
      if (entry == nullptr) return NotFoundError(where + ": storage record " + record + " is missing");
      ASSIGN_OR_RETURN(std::string_view bytes, zip.ReadStored(*entry));
      const size_t elem = DTypeSize(storage.dtype);
      uint64_t need = 0;
      if (__builtin_mul_overflow(static_cast<uint64_t>(storage.int_value), elem, &need) ||
          need > bytes.size()) {
        return CorruptDataError(where + ": storage " + record + " declares " +
                                std::to_string(storage.int_value) + " elements but holds " +
                                std::to_string(bytes.size()) + " bytes");
      }
      const size_t byte_offset =
          static_cast<size_t>(reinterpret_cast<const uint8_t*>(bytes.data()) - src.data) +
          static_cast<size_t>(t.int_value) * elem;
      ASSIGN_OR_RETURN(Tensor tensor, *extent == 0
                                          ? Tensor::Zeros(storage.dtype, layout.shape)
                                          : TensorFromSource(src, byte_offset, storage.dtype,
                                                             layout.shape, layout.strides));
      out.tensors.emplace_back(f.name, std::move(tensor));
    }
    out.all.push_back(std::move(ti));
  }
  if (info_out) *info_out = info;
  return out;
}

}  // namespace cliprt::io
