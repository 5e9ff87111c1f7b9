// A minimal strict JSON reader private to the tokenizer (vocab.json,
// tokenizer_config.json, special_tokens_map.json). RFC 8259 syntax only: no
// comments, no trailing commas, no NaN; nesting depth and input size are
// bounded; errors name the byte offset. (src/io may grow a general parser;
// this one keeps the tokenizer independent of it.)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace cliprt::tokenizer_json {

struct Value {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  bool is_integer = false;
  int64_t integer = 0;
  std::string string;  // UTF-8
  std::vector<Value> array;
  struct Member;
  std::vector<Member> object;  // in document order

  // First member named `key` of an object, or nullptr.
  const Value* Find(std::string_view key) const;
};

struct Value::Member {
  std::string key;
  Value value;
};

// `what` names the document in error messages (e.g. the file path).
StatusOr<Value> Parse(std::string_view text, std::string_view what);

}  // namespace cliprt::tokenizer_json
