// Splitting and decoding an HTTP request-target (RFC 7230 section 5.3) into
// the percent-decoded path and query map that api::Request carries.
//
// Internal to src/net/. Thread-safety: pure functions.
#ifndef ROOMGATE_NET_REQUEST_TARGET_H_
#define ROOMGATE_NET_REQUEST_TARGET_H_

#include <map>
#include <string>
#include <string_view>

#include "roomgate/status.h"

namespace roomgate::net {

// Fills `path` and `query` (both cleared first) from `target`.
//  - origin-form "/p?q" and asterisk-form "*" as received; absolute-form
//    "http://host/p?q" loses its scheme and authority (RFC 7230 5.3.2: a
//    server must accept it);
//  - '+' means space in the query only (form encoding), never in the path;
//  - a repeated query key keeps its first value; "k" alone maps to "".
// Returns kInvalidArgument for any other form, for an invalid %-escape, and
// for an encoded NUL, which would otherwise truncate an ID somewhere
// downstream that uses C strings.
Status ParseRequestTarget(std::string_view target, std::string& path,
                          std::map<std::string, std::string>& query);

// The path part of `target` without decoding, for logging a request whose
// target failed to decode. Never includes the query.
std::string_view RawTargetPath(std::string_view target);

}  // namespace roomgate::net

#endif  // ROOMGATE_NET_REQUEST_TARGET_H_
