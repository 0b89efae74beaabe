// docs/signalling.md is the protocol's contract: its error table and its
// request table must list exactly what the code knows, in both directions.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "sessions/protocol.h"

namespace roomgate::sessions {
namespace {

std::string ReadDoc() {
  std::ifstream in(ROOMGATE_SOURCE_DIR "/docs/signalling.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Rows like "| 4001 | `token_invalid` | ...".
std::set<std::pair<int, std::string>> DocumentedErrors(const std::string& doc) {
  std::set<std::pair<int, std::string>> out;
  const std::regex row(R"(\n\| (\d{4}) \| `([a-z_]+)` \|)");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator();
       ++it) {
    out.emplace(std::stoi((*it)[1]), (*it)[2]);
  }
  return out;
}

// The first column of the request tables — "Client → server", and the
// Media section's "Requests" (up to its "Events"): "| `join` | ...".
std::set<std::string> DocumentedRequests(const std::string& doc) {
  const size_t start = doc.find("## Client → server");
  const size_t end = doc.find("\n## ", start + 1);
  const size_t media = doc.find("**Requests**", doc.find("## Media"));
  const std::string section =
      doc.substr(start, end - start) + doc.substr(media, doc.find("**Events**", media) - media);
  std::set<std::string> out;
  const std::regex row(R"(\n\| `([a-z-]+)` \|)");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), row);
       it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1]);
  }
  out.erase("type");  // the header row: | `type` | Fields | ...
  return out;
}

TEST(ProtocolDocTest, ErrorTableMatchesTheCodes) {
  const std::string doc = ReadDoc();
  ASSERT_FALSE(doc.empty());
  std::set<std::pair<int, std::string>> code;
  for (ErrorCode c : AllErrorCodes()) code.emplace(static_cast<int>(c), std::string(ErrorName(c)));
  EXPECT_EQ(DocumentedErrors(doc), code);
}

TEST(ProtocolDocTest, RequestTableMatchesTheRequestTypes) {
  const std::string doc = ReadDoc();
  std::set<std::string> code;
  for (std::string_view t : RequestTypes()) code.emplace(t);
  EXPECT_EQ(DocumentedRequests(doc), code);
}

}  // namespace
}  // namespace roomgate::sessions
