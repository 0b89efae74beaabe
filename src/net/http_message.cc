#include "net/http_message.h"

#include <cstdio>
#include <ctime>
#include <string>

#include "net/ascii.h"
#include "net/request_target.h"

namespace roomgate::net {
namespace {

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

// CR or LF would end the header early and let a value smuggle in headers or a
// second response; NUL is cut short by some clients.
bool IsValidValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// Headers that frame the message or identify the server; owned by this file.
bool IsReservedHeader(std::string_view name) {
  static constexpr std::string_view kReserved[] = {
      "connection", "content-length", "content-type",      "date",   "keep-alive",
      "server",     "trailer",        "transfer-encoding", "upgrade"};
  for (std::string_view reserved : kReserved) {
    if (EqualsLowerCase(name, reserved)) return true;
  }
  return false;
}

Status ValidateResponse(const api::Response& response) {
  if (response.status < 200 || response.status > 599) {
    return Status::Internal("handler returned HTTP status " + std::to_string(response.status));
  }
  if (!IsValidValue(response.content_type)) return Status::Internal("invalid content type");
  for (const auto& [name, value] : response.headers) {
    if (!IsValidName(name) || !IsValidValue(value)) {
      return Status::Internal("handler returned an invalid header");
    }
  }
  return Status::Ok();
}

// RFC 7231 IMF-fixdate, formatted at most once a second per thread. The names
// are spelled out because strftime's %a and %b follow the process locale.
std::string_view HttpDate() {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  thread_local std::time_t cached_second = -1;
  thread_local char text[40];
  thread_local int length = 0;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    length = std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                           kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900,
                           tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_second = now;
  }
  return std::string_view(text, static_cast<size_t>(length));
}

void AppendHeader(std::string_view name, std::string_view value, std::string& out) {
  out.append(name).append(": ").append(value).append("\r\n");
}

// Always HTTP/1.1, also to a 1.0 client: RFC 7230 2.6 asks for the highest
// version the server conforms to within the request's major version.
void AppendStatusLine(int status, std::string& out) {
  out.append("HTTP/1.1 ");
  out.append(std::to_string(status)).push_back(' ');
  // The reason phrase is informational (RFC 7230 3.1.2) and may be empty.
  std::string_view reason = http::obsolete_reason(static_cast<http::status>(status));
  if (!reason.empty() && reason.front() != '<') out.append(reason);  // "<unknown-status>"
  out.append("\r\n");
}

}  // namespace

Status ToApiRequest(BeastRequest& in, std::string_view remote_address, api::Request& out) {
  out.method.assign(in.method_string());
  out.remote_address.assign(remote_address);
  out.headers.clear();
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = AsciiLower(c);
    out.headers.try_emplace(std::move(name), field.value());
  }
  out.body = std::move(in.body());
  std::string_view target = in.target();
  Status status = ParseRequestTarget(target, out.path, out.query);
  if (!status.ok()) out.path.assign(RawTargetPath(target));
  return status;
}

Status ToWireResponse(api::Response&& in, const Framing& framing, WireResponse& out) {
  if (Status valid = ValidateResponse(in); !valid.ok()) return valid;
  std::string& head = out.head;
  head.clear();
  AppendStatusLine(in.status, head);
  head.append("Server: roomgate\r\nDate: ").append(HttpDate()).append("\r\n");
  // RFC 7230 3.3.2: no Content-Length (and so no body) on 204 or 304.
  bool has_body = in.status != 204 && in.status != 304;
  if (has_body) {
    std::string_view type = in.content_type;
    AppendHeader("Content-Type", type.empty() ? "application/octet-stream" : type, head);
    AppendHeader("Content-Length", std::to_string(in.body.size()), head);
  }
  for (const auto& [name, value] : in.headers) {
    if (!IsReservedHeader(name)) AppendHeader(name, value, head);
  }
  if (!framing.keep_alive) {
    head.append("Connection: close\r\n");
  } else if (framing.version == 10) {
    head.append("Connection: keep-alive\r\n");  // 1.0 closes unless told otherwise
  }
  head.append("\r\n");
  out.body.clear();
  if (has_body && !framing.head) out.body = std::move(in.body);
  out.status = in.status;
  return Status::Ok();
}

}  // namespace roomgate::net
