// The little of SDP roomgate reads: the media sections of a publisher's
// offer, so the server can hold the offer to the tracks the client declared
// (and the role allows) before the SFU ever sees it.
//
// Thread-safety: pure functions.
#ifndef ROOMGATE_SESSIONS_MEDIA_SDP_H_
#define ROOMGATE_SESSIONS_MEDIA_SDP_H_

#include <string>
#include <string_view>
#include <vector>

#include "roomgate/status.h"

namespace roomgate::sessions {

struct SdpSection {
  std::string media;   // "audio", "video", "application", ...
  bool active = true;  // false for a rejected section (port 0)
  std::string mid;     // a=mid, "" when absent
};

// kInvalidArgument when `sdp` is not a session description with at least
// one media section.
Result<std::vector<SdpSection>> ParseSdpSections(std::string_view sdp);

}  // namespace roomgate::sessions

#endif  // ROOMGATE_SESSIONS_MEDIA_SDP_H_
