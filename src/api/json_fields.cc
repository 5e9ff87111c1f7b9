// Ordered JSON object writer and typed readers for the api documents.
#include "api/json_fields.h"

#include <limits>

#include "api/provenance_json.h"

namespace cliprt::api::json {

void ObjectWriter::Key(std::string_view key) {
  if (!body_.empty()) body_ += ',';
  body_ += io::JsonQuote(key);
  body_ += ':';
}
ObjectWriter& ObjectWriter::Raw(std::string_view key, std::string_view v) {
  Key(key);
  body_ += v;
  return *this;
}
ObjectWriter& ObjectWriter::Str(std::string_view key, std::string_view v) { return Raw(key, io::JsonQuote(v)); }
ObjectWriter& ObjectWriter::Int(std::string_view key, int64_t v) { return Raw(key, std::to_string(v)); }
ObjectWriter& ObjectWriter::UInt(std::string_view key, uint64_t v) { return Raw(key, std::to_string(v)); }
ObjectWriter& ObjectWriter::Bool(std::string_view key, bool v) { return Raw(key, v ? "true" : "false"); }
ObjectWriter& ObjectWriter::Float(std::string_view key, float v) { return Raw(key, FormatFloat(v)); }
ObjectWriter& ObjectWriter::Double(std::string_view key, double v) { return Raw(key, FormatDouble(v)); }
ObjectWriter& ObjectWriter::OptFloat(std::string_view key, const std::optional<float>& v) {
  return Raw(key, v ? FormatFloat(*v) : "null");
}
ObjectWriter& ObjectWriter::Strings(std::string_view key, const std::vector<std::string>& v) {
  std::string a = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) a += ',';
    a += io::JsonQuote(v[i]);
  }
  a += ']';
  return Raw(key, a);
}
ObjectWriter& ObjectWriter::Floats(std::string_view key, const float* v, size_t n) {
  return Raw(key, FloatArray(v, n));
}

std::string FloatArray(const float* v, size_t n) {
  std::string a = "[";
  a.reserve(n * 12 + 2);
  for (size_t i = 0; i < n; ++i) {
    if (i) a += ',';
    a += FormatFloat(v[i]);
  }
  a += ']';
  return a;
}

std::string Path(std::string_view where, std::string_view key) {
  std::string p(where);
  if (!p.empty()) p += '.';
  p += key;
  return p;
}
std::string Path(std::string_view where, size_t index) {
  return std::string(where) + "[" + std::to_string(index) + "]";
}

Status ExpectObject(const io::JsonValue& v, std::string_view where) {
  if (!v.is_object()) {
    return InvalidArgumentError(std::string(where) + ": expected an object, found " +
                                io::JsonValue::TypeName(v.type()));
  }
  return Status::Ok();
}

StatusOr<const io::JsonValue*> Member(const io::JsonValue& obj, std::string_view key, std::string_view where) {
  RETURN_IF_ERROR(ExpectObject(obj, where));
  const io::JsonValue* v = obj.Find(key);
  if (v == nullptr) return InvalidArgumentError(Path(where, key) + ": missing");
  return v;
}

namespace {
Status TypeError(std::string_view where, std::string_view key, const char* expected, const io::JsonValue& v) {
  return InvalidArgumentError(Path(where, key) + ": expected " + expected + ", found " +
                              io::JsonValue::TypeName(v.type()));
}
}  // namespace

Status ReadStr(const io::JsonValue& obj, std::string_view key, std::string_view where, std::string* out) {
  ASSIGN_OR_RETURN(const io::JsonValue* v, Member(obj, key, where));
  if (!v->is_string()) return TypeError(where, key, "a string", *v);
  *out = v->string();
  return Status::Ok();
}

Status ReadInt(const io::JsonValue& obj, std::string_view key, std::string_view where, int64_t* out) {
  ASSIGN_OR_RETURN(const io::JsonValue* v, Member(obj, key, where));
  if (!v->is_int()) return TypeError(where, key, "an integer", *v);
  *out = v->int_value();
  return Status::Ok();
}

Status ReadInt32(const io::JsonValue& obj, std::string_view key, std::string_view where, int32_t* out) {
  int64_t v = 0;
  RETURN_IF_ERROR(ReadInt(obj, key, where, &v));
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    return InvalidArgumentError(Path(where, key) + ": " + std::to_string(v) + " is out of the int32 range");
  }
  *out = static_cast<int32_t>(v);
  return Status::Ok();
}

Status ReadUInt(const io::JsonValue& obj, std::string_view key, std::string_view where, uint64_t* out) {
  int64_t v = 0;
  RETURN_IF_ERROR(ReadInt(obj, key, where, &v));
  if (v < 0) return InvalidArgumentError(Path(where, key) + ": " + std::to_string(v) + " is negative");
  *out = static_cast<uint64_t>(v);
  return Status::Ok();
}

Status ReadBool(const io::JsonValue& obj, std::string_view key, std::string_view where, bool* out) {
  ASSIGN_OR_RETURN(const io::JsonValue* v, Member(obj, key, where));
  if (!v->is_bool()) return TypeError(where, key, "true or false", *v);
  *out = v->bool_value();
  return Status::Ok();
}

Status ReadFloat(const io::JsonValue& obj, std::string_view key, std::string_view where, float* out) {
  ASSIGN_OR_RETURN(const io::JsonValue* v, Member(obj, key, where));
  ASSIGN_OR_RETURN(*out, ParseFloatValue(*v, Path(where, key)));
  return Status::Ok();
}

Status ReadDouble(const io::JsonValue& obj, std::string_view key, std::string_view where, double* out) {
  ASSIGN_OR_RETURN(const io::JsonValue* v, Member(obj, key, where));
  ASSIGN_OR_RETURN(*out, ParseDoubleValue(*v, Path(where, key)));
  return Status::Ok();
}

Status ReadOptFloat(const io::JsonValue& obj, std::string_view key, std::string_view where,
                    std::optional<float>* out) {
  ASSIGN_OR_RETURN(const io::JsonValue* v, Member(obj, key, where));
  if (v->is_null()) {
    out->reset();
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(float f, ParseFloatValue(*v, Path(where, key)));
  *out = f;
  return Status::Ok();
}

StatusOr<const std::vector<io::JsonValue>*> ReadArray(const io::JsonValue& obj, std::string_view key,
                                                      std::string_view where) {
  ASSIGN_OR_RETURN(const io::JsonValue* v, Member(obj, key, where));
  if (!v->is_array()) return TypeError(where, key, "an array", *v);
  return &v->array();
}

Status ReadStrings(const io::JsonValue& obj, std::string_view key, std::string_view where,
                   std::vector<std::string>* out) {
  ASSIGN_OR_RETURN(const auto* arr, ReadArray(obj, key, where));
  out->clear();
  for (size_t i = 0; i < arr->size(); ++i) {
    if (!(*arr)[i].is_string()) {
      return InvalidArgumentError(Path(Path(where, key), i) + ": expected a string, found " +
                                  io::JsonValue::TypeName((*arr)[i].type()));
    }
    out->push_back((*arr)[i].string());
  }
  return Status::Ok();
}

Status ReadFloats(const io::JsonValue& obj, std::string_view key, std::string_view where,
                  std::vector<float>* out) {
  ASSIGN_OR_RETURN(const auto* arr, ReadArray(obj, key, where));
  out->clear();
  out->reserve(arr->size());
  const std::string path = Path(where, key);
  for (size_t i = 0; i < arr->size(); ++i) {
    ASSIGN_OR_RETURN(float f, ParseFloatValue((*arr)[i], path));
    out->push_back(f);
  }
  return Status::Ok();
}

}  // namespace cliprt::api::json
