// If-None-Match evaluation for GET (RFC 9110 section 13.1.2), so a browser
// revalidating an unchanged asset gets 304 without the body.
//
// Thread-safety: pure function.
#ifndef ROOMGATE_WEB_IF_NONE_MATCH_H_
#define ROOMGATE_WEB_IF_NONE_MATCH_H_

#include <string_view>

namespace roomgate::web {

// Whether the header value `if_none_match` matches `etag` (a quoted strong
// entity tag): "*", or a comma-separated list of entity tags one of which has
// the same opaque tag. The comparison is weak, as RFC 9110 asks for
// If-None-Match: a "W/" prefix is ignored. A malformed list matches nothing
// after the malformed element (the full response is always a safe answer).
bool IfNoneMatchHits(std::string_view if_none_match, std::string_view etag);

}  // namespace roomgate::web

#endif  // ROOMGATE_WEB_IF_NONE_MATCH_H_
