// Provenance ⇄ JSON, schema version kProvenanceSchemaVersion (documented
// field by field in docs/provenance.md).
//
// Writing: keys in a fixed order, absent optional blocks as null, integers
// exact, float fields with %.9g and double fields with %.17g so every value
// parses back to the same bits; non-finite numbers as the strings "nan",
// "inf", "-inf". Parsing: a schema_version above this build's is an error
// naming both versions; unknown extra keys are ignored (a newer writer of the
// same major schema may add fields); missing required keys and wrong types
// are errors naming the key path.
#pragma once

#include <string>
#include <string_view>

#include "api/provenance.h"
#include "core/status.h"
#include "io/json.h"

namespace cliprt::api {

std::string ToJson(const Provenance& provenance);

StatusOr<Provenance> ParseProvenanceJson(std::string_view json);
// From an already parsed value (e.g. the "provenance" member of a saved
// result); `where` prefixes error messages.
StatusOr<Provenance> ProvenanceFromJsonValue(const io::JsonValue& value, std::string_view where);

// Number formatting shared by the writers: round-trip exact.
std::string FormatFloat(float v);    // %.9g, or "nan"/"inf"/"-inf" quoted
std::string FormatDouble(double v);  // %.17g, or quoted non-finite
// Reads what FormatFloat/FormatDouble wrote (a number or one of the quoted
// non-finite strings); errors name `where`.
StatusOr<float> ParseFloatValue(const io::JsonValue& v, std::string_view where);
StatusOr<double> ParseDoubleValue(const io::JsonValue& v, std::string_view where);

}  // namespace cliprt::api
