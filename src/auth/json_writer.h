// Appends JSON fragments to a string: just what minting a token needs, with
// no intermediate document.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_AUTH_JSON_WRITER_H_
#define ROOMGATE_AUTH_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace roomgate::auth {

// Appends `s` as a JSON string literal. `s` must be valid UTF-8; quotes,
// backslashes and control characters are escaped.
void AppendJsonString(std::string_view s, std::string& out);
void AppendJsonInt(int64_t v, std::string& out);

}  // namespace roomgate::auth

#endif  // ROOMGATE_AUTH_JSON_WRITER_H_
