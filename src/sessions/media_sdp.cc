#include "sessions/media_sdp.h"

namespace roomgate::sessions {

namespace {

// The next line of `text` from `pos`, without its CR LF (SDP uses CRLF;
// LF alone is accepted as many stacks are lenient about it).
std::string_view NextLine(std::string_view text, size_t& pos) {
  const size_t end = text.find('\n', pos);
  std::string_view line = text.substr(pos, end == std::string_view::npos ? end : end - pos);
  pos = end == std::string_view::npos ? text.size() : end + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

// "m=<media> <port> <proto> <fmt> ..."
bool ParseMediaLine(std::string_view line, SdpSection& section) {
  line.remove_prefix(2);
  const size_t space = line.find(' ');
  if (space == 0 || space == std::string_view::npos) return false;
  section.media = std::string(line.substr(0, space));
  std::string_view rest = line.substr(space + 1);
  const std::string_view port = rest.substr(0, rest.find_first_of(" /"));
  if (port.empty() || port.find_first_not_of("0123456789") != std::string_view::npos) return false;
  section.active = port.find_first_not_of('0') != std::string_view::npos;
  return true;
}

}  // namespace

Result<std::vector<SdpSection>> ParseSdpSections(std::string_view sdp) {
  if (!sdp.starts_with("v=0")) {
    return Status::InvalidArgument("sdp is not a session description (no 'v=0' line)");
  }
  std::vector<SdpSection> sections;
  size_t pos = 0;
  while (pos < sdp.size()) {
    const std::string_view line = NextLine(sdp, pos);
    if (line.starts_with("m=")) {
      SdpSection section;
      if (!ParseMediaLine(line, section)) {
        return Status::InvalidArgument("sdp has a malformed media line");
      }
      sections.push_back(std::move(section));
    } else if (line.starts_with("a=mid:") && !sections.empty()) {
      sections.back().mid = std::string(line.substr(6));
    }
  }
  if (sections.empty()) return Status::InvalidArgument("sdp has no media section");
  return sections;
}

}  // namespace roomgate::sessions
