#include "vit_b32_writer.h"

#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "tensor/dtype.h"

namespace cliprt::bench {

std::vector<NamedShape> VitB32Shapes() {
  std::vector<NamedShape> s;
  auto block = [&](const std::string& p, int64_t w) {
    s.push_back({p + "ln_1.weight", {w}});
    s.push_back({p + "ln_1.bias", {w}});
    s.push_back({p + "attn.in_proj_weight", {3 * w, w}});
    s.push_back({p + "attn.in_proj_bias", {3 * w}});
    s.push_back({p + "attn.out_proj.weight", {w, w}});
    s.push_back({p + "attn.out_proj.bias", {w}});
    s.push_back({p + "ln_2.weight", {w}});
    s.push_back({p + "ln_2.bias", {w}});
    s.push_back({p + "mlp.c_fc.weight", {4 * w, w}});
    s.push_back({p + "mlp.c_fc.bias", {4 * w}});
    s.push_back({p + "mlp.c_proj.weight", {w, 4 * w}});
    s.push_back({p + "mlp.c_proj.bias", {w}});
  };
  s.push_back({"positional_embedding", {77, 512}});
  s.push_back({"text_projection", {512, 512}});
  s.push_back({"logit_scale", {}});
  s.push_back({"visual.class_embedding", {768}});
  s.push_back({"visual.positional_embedding", {50, 768}});
  s.push_back({"visual.proj", {768, 512}});
  s.push_back({"visual.conv1.weight", {768, 3, 32, 32}});
  s.push_back({"visual.ln_pre.weight", {768}});
  s.push_back({"visual.ln_pre.bias", {768}});
  for (int i = 0; i < 12; ++i) block("visual.transformer.resblocks." + std::to_string(i) + ".", 768);
  s.push_back({"visual.ln_post.weight", {768}});
  s.push_back({"visual.ln_post.bias", {768}});
  for (int i = 0; i < 12; ++i) block("transformer.resblocks." + std::to_string(i) + ".", 512);
  s.push_back({"token_embedding.weight", {49408, 512}});
  s.push_back({"ln_final.weight", {512}});
  s.push_back({"ln_final.bias", {512}});
  return s;
}

int64_t TotalElements(const std::vector<NamedShape>& shapes) {
  int64_t n = 0;
  for (const auto& s : shapes) n += *CheckedNumElements(s.shape);
  return n;
}

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Deterministic pseudo-random weights in [-0.05, 0.05).
class Rng {
 public:
  float Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return static_cast<float>((state_ >> 40) & 0xFFFFFF) / 16777216.0f * 0.1f - 0.05f;
  }

 private:
  uint64_t state_ = 0x9E3779B97F4A7C15ull;
};

Status WriteAll(std::FILE* f, const void* data, size_t n, const std::string& path) {
  if (n > 0 && std::fwrite(data, 1, n, f) != n) return IoError("short write to " + path);
  return Status::Ok();
}

std::string ShapeJson(const Shape& s) {
  std::string out = "[";
  for (int i = 0; i < s.rank(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(s[i]);
  }
  return out + "]";
}

// --- minimal stored-zip writer (64-byte aligned payloads, as torch's) ------
class ZipWriter {
 public:
  ZipWriter(std::FILE* f, std::string path) : f_(f), path_(std::move(path)) {}

  Status Add(const std::string& name, const void* data, size_t size) {
    const uint32_t crc = static_cast<uint32_t>(crc32(0, static_cast<const Bytef*>(data), static_cast<uInt>(size)));
    const uint64_t header_end = offset_ + 30 + name.size() + 4;  // 4 = extra-field header
    const uint16_t pad = static_cast<uint16_t>((64 - header_end % 64) % 64);
    Entry e{name, crc, size, offset_};
    uint8_t h[30] = {};
    Put32(h, 0x04034b50);
    Put16(h + 4, 20);
    Put32(h + 14, crc);
    Put32(h + 18, static_cast<uint32_t>(size));
    Put32(h + 22, static_cast<uint32_t>(size));
    Put16(h + 26, static_cast<uint16_t>(name.size()));
    Put16(h + 28, static_cast<uint16_t>(4 + pad));
    uint8_t extra[4];
    Put16(extra, 0xcafe);  // private padding field, like torch's "FB" padding
    Put16(extra + 2, pad);
    std::vector<uint8_t> zeros(pad, 0);
    RETURN_IF_ERROR(WriteAll(f_, h, 30, path_));
    RETURN_IF_ERROR(WriteAll(f_, name.data(), name.size(), path_));
    RETURN_IF_ERROR(WriteAll(f_, extra, 4, path_));
    RETURN_IF_ERROR(WriteAll(f_, zeros.data(), pad, path_));
    RETURN_IF_ERROR(WriteAll(f_, data, size, path_));
    offset_ = header_end + pad + size;
    entries_.push_back(e);
    return Status::Ok();
  }

  Status Finish() {
    const uint64_t cd_start = offset_;
    uint64_t cd_size = 0;
    for (const Entry& e : entries_) {
      uint8_t c[46] = {};
      Put32(c, 0x02014b50);
      Put16(c + 4, 20);
      Put16(c + 6, 20);
      Put32(c + 16, e.crc);
      Put32(c + 20, static_cast<uint32_t>(e.size));
      Put32(c + 24, static_cast<uint32_t>(e.size));
      Put16(c + 28, static_cast<uint16_t>(e.name.size()));
      Put32(c + 42, static_cast<uint32_t>(e.offset));
      RETURN_IF_ERROR(WriteAll(f_, c, 46, path_));
      RETURN_IF_ERROR(WriteAll(f_, e.name.data(), e.name.size(), path_));
      cd_size += 46 + e.name.size();
    }
    uint8_t eocd[22] = {};
    Put32(eocd, 0x06054b50);
    Put16(eocd + 8, static_cast<uint16_t>(entries_.size()));
    Put16(eocd + 10, static_cast<uint16_t>(entries_.size()));
    Put32(eocd + 12, static_cast<uint32_t>(cd_size));
    Put32(eocd + 16, static_cast<uint32_t>(cd_start));
    return WriteAll(f_, eocd, 22, path_);
  }

 private:
  struct Entry {
    std::string name;
    uint32_t crc;
    uint64_t size;
    uint64_t offset;
  };
  static void Put16(uint8_t* p, uint16_t v) { p[0] = v & 0xff; p[1] = v >> 8; }
  static void Put32(uint8_t* p, uint32_t v) { for (int i = 0; i < 4; ++i) p[i] = (v >> (8 * i)) & 0xff; }
  std::FILE* f_;
  std::string path_;
  uint64_t offset_ = 0;
  std::vector<Entry> entries_;
};

// --- pickle of nested module objects ---------------------------------------
struct ModuleNode {
  std::map<std::string, ModuleNode> children;
  int tensor = -1;  // index into shapes, for leaves
};

class PickleWriter {
 public:
  void Op(uint8_t op) { out.push_back(static_cast<char>(op)); }
  void Raw(const std::string& s) { out += s; }
  void Str(const std::string& s) {
    Op('X');
    Int32(static_cast<uint32_t>(s.size()));
    out += s;
  }
  void Int32(uint32_t v) { for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff)); }
  void BinInt(int64_t v) {
    Op('J');
    Int32(static_cast<uint32_t>(static_cast<int32_t>(v)));
  }
  void Tuple(const Shape& s, bool strides) {
    const Strides st = ContiguousStrides(s);
    Op('(');
    for (int i = 0; i < s.rank(); ++i) BinInt(strides ? st[i] : s[i]);
    Op('t');
  }
  void Tensor(int key, const Shape& shape, bool f16) {
    Raw("ctorch._utils\n_rebuild_tensor_v2\n");
    Op('(');
    Op('(');
    Str("storage");
    Raw(f16 ? "ctorch\nHalfStorage\n" : "ctorch\nFloatStorage\n");
    Str(std::to_string(key));
    Str("cpu");
    BinInt(*CheckedNumElements(shape));
    Op('t');
    Op('Q');
    BinInt(0);
    Tuple(shape, false);
    Tuple(shape, true);
    Op(0x89);
    Raw("ccollections\nOrderedDict\n");
    Op(')');
    Op('R');
    Op('t');
    Op('R');
  }
  std::string out;
};

void WriteModule(PickleWriter& w, const ModuleNode& node, const std::vector<NamedShape>& shapes,
                 const std::vector<bool>& is_f16) {
  w.Raw("c__torch__.clip.model\nCLIPish\n");
  w.Op(')');
  w.Op(0x81);
  w.Op('}');
  w.Op('(');
  for (const auto& [name, child] : node.children) {
    w.Str(name);
    if (child.tensor >= 0) {
      w.Tensor(child.tensor, shapes[child.tensor].shape, is_f16[child.tensor]);
    } else {
      WriteModule(w, child, shapes, is_f16);
    }
  }
  w.Str("training");
  w.Op(0x89);
  w.Op('u');
  w.Op('b');
}

}  // namespace

Status WriteSafetensorsF32(const std::string& path, const std::vector<NamedShape>& shapes) {
  std::string header = "{";
  uint64_t offset = 0;
  for (size_t i = 0; i < shapes.size(); ++i) {
    const uint64_t bytes = static_cast<uint64_t>(*CheckedNumElements(shapes[i].shape)) * 4;
    if (i > 0) header += ',';
    header += '"';
    header += shapes[i].name;
    header += "\":{\"dtype\":\"F32\",\"shape\":";
    header += ShapeJson(shapes[i].shape);
    header += ",\"data_offsets\":[";
    header += std::to_string(offset);
    header += ',';
    header += std::to_string(offset + bytes);
    header += "]}";
    offset += bytes;
  }
  header += "}";
  while ((header.size() + 8) % 64 != 0) header += ' ';  // aligned data, as writers pad
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return IoError("cannot create " + path);
  uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = (header.size() >> (8 * i)) & 0xff;
  RETURN_IF_ERROR(WriteAll(f.get(), len, 8, path));
  RETURN_IF_ERROR(WriteAll(f.get(), header.data(), header.size(), path));
  Rng rng;
  std::vector<float> buf;
  for (const auto& s : shapes) {
    buf.resize(static_cast<size_t>(*CheckedNumElements(s.shape)));
    for (float& v : buf) v = rng.Next();
    RETURN_IF_ERROR(WriteAll(f.get(), buf.data(), buf.size() * 4, path));
  }
  return Status::Ok();
}

Status WriteTorchScriptF16(const std::string& path, const std::vector<NamedShape>& shapes) {
  ModuleNode root;
  std::vector<bool> is_f16(shapes.size());
  for (size_t i = 0; i < shapes.size(); ++i) {
    ModuleNode* node = &root;
    const std::string& name = shapes[i].name;
    size_t start = 0;
    while (true) {
      const size_t dot = name.find('.', start);
      node = &node->children[name.substr(start, dot == std::string::npos ? std::string::npos : dot - start)];
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    node->tensor = static_cast<int>(i);
    is_f16[i] = name != "logit_scale";  // small scalars stay fp32, as in OpenAI's files
  }
  PickleWriter w;
  w.Op(0x80);
  w.Op(2);
  WriteModule(w, root, shapes, is_f16);
  w.Op('.');
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return IoError("cannot create " + path);
  ZipWriter zip(f.get(), path);
  RETURN_IF_ERROR(zip.Add("ViT-B-32/data.pkl", w.out.data(), w.out.size()));
  const std::string code = "class CLIPish(Module):\n  pass\n";
  RETURN_IF_ERROR(zip.Add("ViT-B-32/code/__torch__/clip/model.py", code.data(), code.size()));
  const std::string constants = std::string("\x80\x02).", 4);
  RETURN_IF_ERROR(zip.Add("ViT-B-32/constants.pkl", constants.data(), constants.size()));
  Rng rng;
  std::vector<uint16_t> half;
  std::vector<float> full;
  for (size_t i = 0; i < shapes.size(); ++i) {
    const size_t n = static_cast<size_t>(*CheckedNumElements(shapes[i].shape));
    const std::string rec = "ViT-B-32/data/" + std::to_string(i);
    if (is_f16[i]) {
      half.resize(n);
      for (auto& h : half) h = FloatToHalf(rng.Next());
      RETURN_IF_ERROR(zip.Add(rec, half.data(), n * 2));
    } else {
      full.resize(n);
      for (auto& v : full) v = rng.Next();
      RETURN_IF_ERROR(zip.Add(rec, full.data(), n * 4));
    }
  }
  const std::string version = "3\n";
  RETURN_IF_ERROR(zip.Add("ViT-B-32/version", version.data(), version.size()));
  return zip.Finish();
}

}  // namespace cliprt::bench
