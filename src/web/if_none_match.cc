#include "web/if_none_match.h"

namespace roomgate::web {
namespace {

bool IsListSpace(char c) { return c == ' ' || c == '\t' || c == ','; }

}  // namespace

bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag) {
  std::string_view rest = if_none_match;
  while (true) {
    while (!rest.empty() && IsListSpace(rest.front())) rest.remove_prefix(1);
    if (rest.empty()) return false;
    if (rest.front() == '*') return true;
    if (rest.starts_with("W/")) rest.remove_prefix(2);
    // An opaque tag is a quoted string without escapes; it may hold commas.
    if (rest.empty() || rest.front() != '"') return false;
    const size_t close = rest.find('"', 1);
    if (close == std::string_view::npos) return false;
    if (rest.substr(0, close + 1) == etag) return true;
    rest.remove_prefix(close + 1);
  }
}

}  // namespace roomgate::web
