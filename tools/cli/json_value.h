// A small, bounded JSON reader for the documents the CLI reads back (saved
// results: their recorded inputs and provenance fields). Strict RFC 8259
// syntax, nesting limited to 64 levels; errors name the byte offset.
#ifndef CLIPRT_TOOLS_CLI_JSON_VALUE_H_
#define CLIPRT_TOOLS_CLI_JSON_VALUE_H_

#include <string>
#include <string_view>
#include <vector>

namespace cliprt_cli {

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<JsonValue> array;
  // Object members in document order: keys[i] names members[i]. (Two
  // vectors, not pairs: a pair would need JsonValue complete here.)
  std::vector<std::string> keys;
  std::vector<JsonValue> members;

  // Member `key` of an object, or nullptr (also when this is not an object).
  const JsonValue* Find(std::string_view key) const;
  // Follows "a.b[2].c"; nullptr when any step is missing.
  const JsonValue* Path(std::string_view path) const;
};

// Throws CliError naming `what` (e.g. the file) and the byte offset.
JsonValue ParseJson(std::string_view text, const std::string& what);

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_JSON_VALUE_H_
