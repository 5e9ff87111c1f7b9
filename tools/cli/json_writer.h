// A small streaming JSON writer for the CLI's outputs (pretty-printed, two
// spaces). Commas are inserted automatically; Raw() splices a JSON document
// the library produced (provenance, info) as a value.
#ifndef CLIPRT_TOOLS_CLI_JSON_WRITER_H_
#define CLIPRT_TOOLS_CLI_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cliprt_cli {

// JSON string literal of UTF-8 text (quotes included). Bytes are passed
// through; control characters become \u00XX.
std::string JsonQuote(std::string_view text);
// %.9g (round-trips a float); non-finite values as the strings "nan", "inf",
// "-inf" like the library's documents.
std::string JsonFloat(float value);
std::string JsonDouble(double value);

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Float(float value);
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& Raw(std::string_view json);
  // Arrays of numbers on one line.
  JsonWriter& FloatArray(const float* values, size_t count);
  JsonWriter& IntArray(const int64_t* values, size_t count);

  // The document, ending in a newline.
  std::string str() const { return out_ + "\n"; }

 private:
  void BeforeValue();
  void NewLine();
  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
};

}  // namespace cliprt_cli

#endif  // CLIPRT_TOOLS_CLI_JSON_WRITER_H_
