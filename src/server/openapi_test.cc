// docs/openapi.yaml is the API reference; this keeps it in step with the
// router in both directions: every route is documented, and every documented
// operation exists.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "server/server.h"

namespace roomgate::server {
namespace {

using Operation = std::pair<std::string, std::string>;  // METHOD, /path/{param}

// The file is written with two-space indentation: paths at one level, methods
// at the next. Reading those lines is all the check needs.
std::set<Operation> DocumentedOperations() {
  std::ifstream in(ROOMGATE_SOURCE_DIR "/docs/openapi.yaml");
  EXPECT_TRUE(in.good());
  const std::regex path_line(R"(^  (/[^:]*):\s*$)");
  const std::regex method_line(R"(^    (get|post|delete|options|put|patch):)");
  std::set<Operation> ops;
  std::string line, current;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line.rfind("paths:", 0) == 0)
      in_paths = true;
    else if (!line.empty() && line[0] != ' ')
      in_paths = false;
    if (!in_paths) continue;
    std::smatch m;
    if (std::regex_match(line, m, path_line)) {
      current = m[1];
    } else if (std::regex_search(line, m, method_line) && !current.empty()) {
      std::string method = m[1];
      for (auto& c : method) c = static_cast<char>(std::toupper(c));
      ops.insert({method, current});
    }
  }
  return ops;
}

std::string OpenApiPath(const std::string& pattern) {
  return std::regex_replace(pattern, std::regex(R"(:([a-z_]+))"), "{$1}");
}

TEST(OpenApiTest, EveryRouteIsDocumentedAndEveryDocumentedOperationExists) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("roomgate-openapi-" + std::to_string(getpid()));
  config::Config cfg;
  cfg.server.listen = "127.0.0.1:0";
  cfg.server.data_dir = dir.string();
  cfg.server.threads = 1;
  cfg.server.access_log = false;
  cfg.keys.push_back({"openapikey", "a-secret-that-is-at-least-32-bytes-long!!"});
  std::ostringstream info;
  auto server = Server::Start(cfg, info);
  ASSERT_TRUE(server.ok()) << server.error().message();

  std::set<Operation> routed;
  for (const auto& r : (*server)->Routes()) routed.insert({r.method, OpenApiPath(r.pattern)});
  const std::set<Operation> documented = DocumentedOperations();
  for (const auto& op : routed) {
    EXPECT_TRUE(documented.count(op))
        << op.first << " " << op.second << " is not in docs/openapi.yaml";
  }
  for (const auto& op : documented) {
    EXPECT_TRUE(routed.count(op)) << op.first << " " << op.second
                                  << " is documented but not routed";
  }
  (*server)->Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace roomgate::server
