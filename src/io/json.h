// A small, strict, bounded JSON parser (RFC 8259) for checkpoint headers,
// model configs and manifests — inputs that come from untrusted files.
//
// Strict: no comments, trailing commas, NaN/Infinity, leading zeros or
// unescaped control characters; strings must be valid UTF-8 (escaped
// surrogates must pair); duplicate object keys are an error. Bounded: input
// size, nesting depth and element count are capped, so a hostile file cannot
// exhaust the stack or memory. Numbers keep their source text; integers that
// fit int64 are exact, other numbers are parsed to the nearest double.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace cliprt::io {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };

  JsonValue() = default;

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }
  // True for numbers written without fraction/exponent that fit int64.
  bool is_int() const { return type_ == Type::kNumber && is_int_; }

  bool bool_value() const { return bool_; }
  double number() const { return number_; }
  int64_t int_value() const { return int_; }
  const std::string& string() const { return text_; }      // decoded string value
  const std::string& number_text() const { return text_; }  // number as written
  const std::vector<JsonValue>& array() const { return array_; }
  const std::vector<std::pair<std::string, JsonValue>>& object() const { return object_; }

  // Object member by key, or nullptr (also for non-objects).
  const JsonValue* Find(std::string_view key) const;

  static const char* TypeName(Type type);

 private:
  friend class JsonParser;
  Type type_ = Type::kNull;
  bool bool_ = false;
  bool is_int_ = false;
  double number_ = 0;
  int64_t int_ = 0;
  std::string text_;
  std::vector<JsonValue> array_;
  std::vector<std::pair<std::string, JsonValue>> object_;
};

struct JsonLimits {
  size_t max_bytes = size_t{64} << 20;  // input length
  int max_depth = 64;                   // nested arrays/objects
  size_t max_elements = size_t{1} << 20;  // values in the whole document (~110 MB worst case)
};

// Parses one JSON document (surrounding whitespace allowed). `source` names
// the input in error messages, which also give the byte offset.
StatusOr<JsonValue> ParseJson(std::string_view text, std::string_view source,
                              const JsonLimits& limits = JsonLimits());

// Typed accessors for config readers: error messages name `where`.key.
StatusOr<int64_t> JsonGetInt(const JsonValue& obj, std::string_view key, std::string_view where);
StatusOr<double> JsonGetNumber(const JsonValue& obj, std::string_view key, std::string_view where);
StatusOr<std::string> JsonGetString(const JsonValue& obj, std::string_view key,
                                    std::string_view where);

// `"..."` with JSON escapes, for writers (provenance, manifests).
std::string JsonQuote(std::string_view s);

}  // namespace cliprt::io
