// Internal helpers for the api JSON documents: an ordered object writer and
// typed member readers whose errors name the full key path
// ("provenance.model.files[0].size: expected an integer").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "io/json.h"

namespace cliprt::api::json {

// Builds one JSON object; members appear in the order they are written.
class ObjectWriter {
 public:
  ObjectWriter& Raw(std::string_view key, std::string_view json);
  ObjectWriter& Str(std::string_view key, std::string_view v);
  ObjectWriter& Int(std::string_view key, int64_t v);
  ObjectWriter& UInt(std::string_view key, uint64_t v);
  ObjectWriter& Bool(std::string_view key, bool v);
  ObjectWriter& Float(std::string_view key, float v);
  ObjectWriter& Double(std::string_view key, double v);
  ObjectWriter& OptFloat(std::string_view key, const std::optional<float>& v);  // null when absent
  ObjectWriter& Strings(std::string_view key, const std::vector<std::string>& v);
  ObjectWriter& Floats(std::string_view key, const float* v, size_t n);
  std::string Done() const { return "{" + body_ + "}"; }

 private:
  void Key(std::string_view key);
  std::string body_;
};

std::string FloatArray(const float* v, size_t n);

// Readers: `obj` must be an object; `where` is its path. Missing members
// and wrong types are InvalidArgument errors naming where.key.
StatusOr<const io::JsonValue*> Member(const io::JsonValue& obj, std::string_view key, std::string_view where);
Status ReadStr(const io::JsonValue& obj, std::string_view key, std::string_view where, std::string* out);
Status ReadInt(const io::JsonValue& obj, std::string_view key, std::string_view where, int64_t* out);
Status ReadInt32(const io::JsonValue& obj, std::string_view key, std::string_view where, int32_t* out);
Status ReadUInt(const io::JsonValue& obj, std::string_view key, std::string_view where, uint64_t* out);
Status ReadBool(const io::JsonValue& obj, std::string_view key, std::string_view where, bool* out);
Status ReadFloat(const io::JsonValue& obj, std::string_view key, std::string_view where, float* out);
Status ReadDouble(const io::JsonValue& obj, std::string_view key, std::string_view where, double* out);
Status ReadOptFloat(const io::JsonValue& obj, std::string_view key, std::string_view where,
                    std::optional<float>* out);
Status ReadStrings(const io::JsonValue& obj, std::string_view key, std::string_view where,
                   std::vector<std::string>* out);
Status ReadFloats(const io::JsonValue& obj, std::string_view key, std::string_view where,
                  std::vector<float>* out);
// The array member `key` (error if absent or not an array).
StatusOr<const std::vector<io::JsonValue>*> ReadArray(const io::JsonValue& obj, std::string_view key,
                                                      std::string_view where);
Status ExpectObject(const io::JsonValue& v, std::string_view where);
std::string Path(std::string_view where, std::string_view key);
std::string Path(std::string_view where, size_t index);

}  // namespace cliprt::api::json
