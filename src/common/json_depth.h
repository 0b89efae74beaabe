// A pre-parse check of JSON nesting depth.
//
// nlohmann parses any depth, but dumping and destroying a document recurse
// once per level: a 1 MiB text of '[' would overflow an I/O thread's stack.
// Every JSON text from a client (REST bodies, signalling messages) passes
// through this before the parser. No message of ours nests deeper than a
// handful of levels.
//
// Thread-safety: a pure function.
#ifndef ROOMGATE_COMMON_JSON_DEPTH_H_
#define ROOMGATE_COMMON_JSON_DEPTH_H_

#include <string_view>

namespace roomgate {

inline constexpr int kMaxJsonDepth = 32;

// True if `text` opens more than `max_depth` objects/arrays at once (strings
// are skipped, so brackets inside them do not count).
bool JsonNestsDeeperThan(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace roomgate

#endif  // ROOMGATE_COMMON_JSON_DEPTH_H_
