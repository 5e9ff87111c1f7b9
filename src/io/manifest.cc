#include "io/manifest.h"

#include <algorithm>
#include <filesystem>

#include "io/mapped_file.h"

namespace cliprt::io {

namespace {
Status OptString(const JsonValue& root, const char* key, const std::string& source,
                 std::string* out) {
  const JsonValue* v = root.Find(key);
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (!v->is_string()) return CorruptDataError(source + ": \"" + key + "\" is not a string");
  *out = v->string();
  return Status::Ok();
}
}  // namespace

StatusOr<Manifest> ParseManifest(const JsonValue& root, const std::string& source) {
  if (!root.is_object()) return CorruptDataError(source + ": manifest is not an object");
  Manifest m;
  m.path = source;
  ASSIGN_OR_RETURN(m.name, JsonGetString(root, "name", source));
  RETURN_IF_ERROR(OptString(root, "architecture", source, &m.architecture));
  RETURN_IF_ERROR(OptString(root, "activation", source, &m.activation));
  RETURN_IF_ERROR(OptString(root, "license", source, &m.license));
  RETURN_IF_ERROR(OptString(root, "source_url", source, &m.source_url));
  RETURN_IF_ERROR(OptString(root, "tokenizer", source, &m.tokenizer));
  const JsonValue* pp = root.Find("preprocessing");
  if (pp && pp->is_string()) m.preprocessing = pp->string();
  if (const JsonValue* oos = root.Find("out_of_scope_uses"); oos && oos->is_array()) {
    for (const JsonValue& u : oos->array()) {
      if (u.is_string()) m.out_of_scope_uses.push_back(u.string());
    }
  }
  const JsonValue* files = root.Find("files");
  if (files == nullptr || !files->is_array()) {
    return CorruptDataError(source + ": manifest has no \"files\" array");
  }
  for (const JsonValue& f : files->array()) {
    if (!f.is_object()) return CorruptDataError(source + ": files entry is not an object");
    ManifestFile mf;
    ASSIGN_OR_RETURN(mf.name, JsonGetString(f, "name", source + " files[]"));
    if (const JsonValue* s = f.Find("size"); s && s->is_int()) mf.size = s->int_value();
    if (const JsonValue* h = f.Find("sha256"); h && h->is_string()) {
      mf.sha256 = h->string();
      const bool hex = mf.sha256.size() == 64 &&
                       std::all_of(mf.sha256.begin(), mf.sha256.end(), [](char c) {
                         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                       });
      if (!hex) return CorruptDataError(source + ": sha256 of " + mf.name + " is not 64 lower-case hex digits");
    }
    m.files.push_back(std::move(mf));
  }
  return m;
}

StatusOr<std::vector<Manifest>> LoadManifests(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
  }
  if (ec) return IoError("cannot list manifest directory " + dir + ": " + ec.message());
  std::sort(paths.begin(), paths.end());
  std::vector<Manifest> out;
  for (const std::string& p : paths) {
    ASSIGN_OR_RETURN(auto file, MappedFile::Open(p));
    ASSIGN_OR_RETURN(JsonValue root,
                     ParseJson(std::string_view(reinterpret_cast<const char*>(file->data()), file->size()), p));
    ASSIGN_OR_RETURN(Manifest m, ParseManifest(root, p));
    out.push_back(std::move(m));
  }
  return out;
}

const Manifest* FindManifestBySha256(const std::vector<Manifest>& manifests,
                                     const std::string& sha256) {
  if (sha256.empty()) return nullptr;
  for (const Manifest& m : manifests) {
    for (const ManifestFile& f : m.files) {
      if (f.sha256 == sha256) return &m;
    }
  }
  return nullptr;
}

}  // namespace cliprt::io
