#include "io/json.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_set>

namespace cliprt::io {

const JsonValue* JsonValue::Find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (const auto& [k, v] : object_) {
    if (k == key) return &v;
  }
  return nullptr;
}

const char* JsonValue::TypeName(Type type) {
  switch (type) {
    case Type::kNull: return "null";
    case Type::kBool: return "bool";
    case Type::kNumber: return "number";
    case Type::kString: return "string";
    case Type::kArray: return "array";
    case Type::kObject: return "object";
  }
  return "?";
}

class JsonParser {
 public:
  JsonParser(std::string_view text, std::string_view source, const JsonLimits& limits)
      : text_(text), source_(source), limits_(limits) {}

  StatusOr<JsonValue> ParseDocument() {
    if (text_.size() > limits_.max_bytes) {
      return ResourceExhaustedError("JSON " + std::string(source_) + ": " +
                                    std::to_string(text_.size()) + " bytes exceeds the limit of " +
                                    std::to_string(limits_.max_bytes));
    }
    JsonValue root;
    RETURN_IF_ERROR(ParseValue(root, 0));
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected data after the JSON value");
    return root;
  }

 private:
  Status Error(const std::string& what) const {
    return CorruptDataError("JSON " + std::string(source_) + " at byte " + std::to_string(pos_) +
                            ": " + what);
  }

  void SkipSpace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
      ++pos_;
    }
  }

  bool Consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  Status ParseValue(JsonValue& out, int depth) {
    if (++elements_ > limits_.max_elements) {
      return ResourceExhaustedError("JSON " + std::string(source_) + ": more than " +
                                    std::to_string(limits_.max_elements) + " values");
    }
    SkipSpace();
    if (pos_ >= text_.size()) return Error("unexpected end of input");
    const char c = text_[pos_];
    switch (c) {
      case '{': return ParseObject(out, depth + 1);
      case '[': return ParseArray(out, depth + 1);
      case '"':
        out.type_ = JsonValue::Type::kString;
        return ParseString(out.text_);
      case 't':
        if (!Consume("true")) return Error("invalid literal");
        out.type_ = JsonValue::Type::kBool;
        out.bool_ = true;
        return Status::Ok();
      case 'f':
        if (!Consume("false")) return Error("invalid literal");
        out.type_ = JsonValue::Type::kBool;
        out.bool_ = false;
        return Status::Ok();
      case 'n':
        if (!Consume("null")) return Error("invalid literal");
        out.type_ = JsonValue::Type::kNull;
        return Status::Ok();
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
        return Error(std::string("unexpected character '") +
                     (c >= 0x20 && c < 0x7f ? std::string(1, c) : "\\x" + std::to_string(
                         static_cast<unsigned char>(c))) + "'");
    }
  }

  Status CheckDepth(int depth) {
    if (depth > limits_.max_depth) {
      return ResourceExhaustedError("JSON " + std::string(source_) + " at byte " +
                                    std::to_string(pos_) + ": nesting deeper than " +
                                    std::to_string(limits_.max_depth));
    }
    return Status::Ok();
  }

  Status ParseObject(JsonValue& out, int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    out.type_ = JsonValue::Type::kObject;
    ++pos_;  // '{'
    std::unordered_set<std::string> seen;  // duplicate keys are an error
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return Status::Ok();
    }
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Error("expected a string key");
      const size_t key_pos = pos_;
      std::string key;
      RETURN_IF_ERROR(ParseString(key));
      if (!seen.insert(key).second) {
        pos_ = key_pos;
        return Error("duplicate key \"" + key + "\"");
      }
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Error("expected ':'");
      ++pos_;
      JsonValue value;
      RETURN_IF_ERROR(ParseValue(value, depth));
      out.object_.emplace_back(std::move(key), std::move(value));
      SkipSpace();
      if (pos_ >= text_.size()) return Error("unterminated object");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == '}') {
        ++pos_;
        return Status::Ok();
      }
      return Error("expected ',' or '}'");
    }
  }

  Status ParseArray(JsonValue& out, int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    out.type_ = JsonValue::Type::kArray;
    ++pos_;  // '['
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return Status::Ok();
    }
    while (true) {
      JsonValue value;
      RETURN_IF_ERROR(ParseValue(value, depth));
      out.array_.push_back(std::move(value));
      SkipSpace();
      if (pos_ >= text_.size()) return Error("unterminated array");
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (text_[pos_] == ']') {
        ++pos_;
        return Status::Ok();
      }
      return Error("expected ',' or ']'");
    }
  }

  static void AppendUtf8(std::string& s, uint32_t cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool ReadHex4(uint32_t& value) {
    if (text_.size() - pos_ < 4) return false;
    value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_ + i];
      value <<= 4;
      if (c >= '0' && c <= '9') value |= c - '0';
      else if (c >= 'a' && c <= 'f') value |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') value |= c - 'A' + 10;
      else return false;
    }
    pos_ += 4;
    return true;
  }

  // Validates one UTF-8 sequence at pos_ (shortest form, no surrogates,
  // <= U+10FFFF) and appends it.
  Status CopyUtf8(std::string& out) {
    const auto b0 = static_cast<uint8_t>(text_[pos_]);
    int len = 0;
    uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) { len = 2; cp = b0 & 0x1F; }
    else if (b0 >= 0xE0 && b0 <= 0xEF) { len = 3; cp = b0 & 0x0F; }
    else if (b0 >= 0xF0 && b0 <= 0xF4) { len = 4; cp = b0 & 0x07; }
    else return Error("invalid UTF-8 lead byte");
    if (text_.size() - pos_ < static_cast<size_t>(len)) return Error("truncated UTF-8 sequence");
    for (int i = 1; i < len; ++i) {
      const auto b = static_cast<uint8_t>(text_[pos_ + i]);
      if ((b & 0xC0) != 0x80) return Error("invalid UTF-8 continuation byte");
      cp = (cp << 6) | (b & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Error("invalid UTF-8 (overlong, surrogate or out of range)");
    }
    out.append(text_.data() + pos_, len);
    pos_ += len;
    return Status::Ok();
  }

  Status ParseString(std::string& out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) return Error("unterminated string");
      const auto c = static_cast<uint8_t>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return Status::Ok();
      }
      if (c < 0x20) return Error("unescaped control character in string");
      if (c >= 0x80) {
        RETURN_IF_ERROR(CopyUtf8(out));
        continue;
      }
      if (c != '\\') {
        out += static_cast<char>(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) return Error("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!ReadHex4(cp)) return Error("invalid \\u escape");
          if (cp >= 0xDC00 && cp <= 0xDFFF) return Error("unpaired low surrogate escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (!Consume("\\u") || !ReadHex4(low) || low < 0xDC00 || low > 0xDFFF) {
              return Error("unpaired high surrogate escape");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          --pos_;
          return Error("invalid escape character");
      }
    }
  }

  Status ParseNumber(JsonValue& out) {
    const size_t start = pos_;
    bool integral = true;
    if (text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size()) return Error("truncated number");
    if (text_[pos_] == '0') {
      ++pos_;
      if (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        return Error("leading zero in number");
      }
    } else if (text_[pos_] >= '1' && text_[pos_] <= '9') {
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    } else {
      return Error("invalid number");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      integral = false;
      ++pos_;
      const size_t digits = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      if (pos_ == digits) return Error("missing digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      integral = false;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      const size_t digits = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      if (pos_ == digits) return Error("missing exponent digits");
    }
    out.type_ = JsonValue::Type::kNumber;
    out.text_.assign(text_.data() + start, pos_ - start);
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (integral) {
      int64_t v = 0;
      const auto r = std::from_chars(first, last, v);
      if (r.ec == std::errc() && r.ptr == last) {
        out.is_int_ = true;
        out.int_ = v;
        out.number_ = static_cast<double>(v);
        return Status::Ok();
      }
    }
    double d = 0;
    const auto r = std::from_chars(first, last, d);
    if (r.ptr != last || (r.ec != std::errc() && r.ec != std::errc::result_out_of_range)) {
      return Error("invalid number");
    }
    if (r.ec == std::errc::result_out_of_range) {
      // from_chars leaves d unchanged on range errors: decide by the exponent.
      const std::string_view t(first, last - first);
      const size_t e = t.find_first_of("eE");
      const bool tiny = e != std::string_view::npos && t.find('-', e) != std::string_view::npos;
      if (!tiny) return Error("number out of the double range");
      d = (t[0] == '-') ? -0.0 : 0.0;
    }
    out.number_ = d;
    return Status::Ok();
  }

  std::string_view text_;
  std::string_view source_;
  JsonLimits limits_;
  size_t pos_ = 0;
  size_t elements_ = 0;
};

StatusOr<JsonValue> ParseJson(std::string_view text, std::string_view source,
                              const JsonLimits& limits) {
  JsonParser parser(text, source, limits);
  return parser.ParseDocument();
}

namespace {
StatusOr<const JsonValue*> Member(const JsonValue& obj, std::string_view key,
                                  std::string_view where) {
  const JsonValue* v = obj.Find(key);
  if (v == nullptr) {
    return NotFoundError(std::string(where) + ": missing key \"" + std::string(key) + "\"");
  }
  return v;
}
}  // namespace

StatusOr<int64_t> JsonGetInt(const JsonValue& obj, std::string_view key, std::string_view where) {
  ASSIGN_OR_RETURN(const JsonValue* v, Member(obj, key, where));
  if (!v->is_int()) {
    return CorruptDataError(std::string(where) + "." + std::string(key) + ": expected an integer");
  }
  return v->int_value();
}

StatusOr<double> JsonGetNumber(const JsonValue& obj, std::string_view key,
                               std::string_view where) {
  ASSIGN_OR_RETURN(const JsonValue* v, Member(obj, key, where));
  if (!v->is_number()) {
    return CorruptDataError(std::string(where) + "." + std::string(key) + ": expected a number");
  }
  return v->number();
}

StatusOr<std::string> JsonGetString(const JsonValue& obj, std::string_view key,
                                    std::string_view where) {
  ASSIGN_OR_RETURN(const JsonValue* v, Member(obj, key, where));
  if (!v->is_string()) {
    return CorruptDataError(std::string(where) + "." + std::string(key) + ": expected a string");
  }
  return v->string();
}

std::string JsonQuote(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
  return out;
}

}  // namespace cliprt::io
