#include "net/request_target.h"

#include <cstddef>

#include "net/ascii.h"

namespace roomgate::net {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Appends the decoded `in` to `out`; false on a bad escape or an encoded NUL.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string& out) {
  out.reserve(out.size() + in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      if (c == '\0') return false;
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    out.push_back(c);
  }
  return true;
}

// Drops "http[s]://authority" from an absolute-form target, leaving what
// follows the authority (which may be empty or start with '?').
bool StripAbsoluteForm(std::string_view& target) {
  size_t scheme_end = target.find("://");
  if (scheme_end == std::string_view::npos) return false;
  std::string_view scheme = target.substr(0, scheme_end);
  if (!EqualsLowerCase(scheme, "http") && !EqualsLowerCase(scheme, "https")) return false;
  size_t rest = target.find_first_of("/?", scheme_end + 3);
  target = rest == std::string_view::npos ? std::string_view() : target.substr(rest);
  return true;
}

Status ParseQuery(std::string_view query, std::map<std::string, std::string>& out) {
  std::string key;
  std::string value;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    key.clear();
    value.clear();
    if (!PercentDecode(pair.substr(0, eq), true, key) ||
        (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, value))) {
      return Status::InvalidArgument("invalid percent-encoding in query");
    }
    out.try_emplace(key, value);
  }
  return Status::Ok();
}

}  // namespace

Status ParseRequestTarget(std::string_view target, std::string& path,
                          std::map<std::string, std::string>& query) {
  path.clear();
  query.clear();
  if (target == "*") {
    path.push_back('*');  // not `= "*"`: g++ 12 -Wrestrict false positive
    return Status::Ok();
  }
  bool absolute_form = StripAbsoluteForm(target);
  if (!absolute_form && (target.empty() || target.front() != '/')) {
    return Status::InvalidArgument("request target must be an absolute path");
  }
  size_t question = target.find('?');
  std::string_view raw_path = target.substr(0, question);
  if (!PercentDecode(raw_path.empty() ? std::string_view("/") : raw_path, false, path)) {
    path.clear();
    return Status::InvalidArgument("invalid percent-encoding in path");
  }
  if (question == std::string_view::npos) return Status::Ok();
  return ParseQuery(target.substr(question + 1), query);
}

std::string_view RawTargetPath(std::string_view target) {
  return target.substr(0, target.find('?'));
}

}  // namespace roomgate::net
