// townhall/util/json_schema.h — validation of JSON documents against the schemas in `schemas/`.
//
// The schemas are compiled into the library (see cmake/EmbedFiles.cmake), so the CLI, the server
// and the bindings validate against exactly the same text. Errors name the offending field as a
// JSON pointer. Supports JSON Schema draft 7 (valijson).
// Thread-safety: validate() may be called from many threads; compiled schemas are immutable and
// cached after first use.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "townhall/error.h"
#include "townhall/util/json_parse.h"  // parse_json, for documents read from outside

namespace townhall {

// The embedded text of `schemas/<file_name>` (e.g. "charter-policy.schema.json"); empty if unknown.
std::string_view embedded_schema(std::string_view file_name);

// Validates `doc` against the embedded schema `schema_file`. The error's field is a JSON pointer,
// prefixed with `pointer_prefix` (for documents nested inside larger ones).
Status validate_against_schema(const nlohmann::json& doc, std::string_view schema_file,
                               std::string_view pointer_prefix = {});

// Every field of `doc` that breaks the schema `schema_file`, each as validate_against_schema names
// one (a JSON pointer after `pointer_prefix` and a message for people), in the order the validator
// met them, one error a field and at most `max_errors`; empty when `doc` is valid. For forms that
// show every bad field at once.
std::vector<Error> schema_errors(const nlohmann::json& doc, std::string_view schema_file, size_t max_errors = 20,
                                 std::string_view pointer_prefix = {});

// Escapes one JSON pointer reference token (RFC 6901: "~" → "~0", "/" → "~1").
std::string json_pointer_token(std::string_view token);

}  // namespace townhall
