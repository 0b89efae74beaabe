#include "server/bootstrap.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "roomgate/keys.h"

namespace roomgate::server {
namespace {

constexpr const char* kCredentialsFile = "credentials.json";

Status Errno(const std::string& what) {
  return Status::Internal(what + ": " + std::strerror(errno));
}

Status EnsureDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create data folder '" + dir + "': " + ec.message());
  ::chmod(dir.c_str(), 0700);  // best effort: it may be a shared mount
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomically(const std::string& path, const std::string& content, int mode) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("cannot create '" + tmp + "'");
  ::fchmod(fd, static_cast<mode_t>(mode));  // the umask must not widen or narrow it
  size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const Status failed = Errno("cannot write '" + tmp + "'");
      ::close(fd);
      ::unlink(tmp.c_str());  // never leave half a file behind
      return failed;
    }
    written += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  if (::close(fd) != 0 || !synced) {
    const Status failed = Errno("cannot sync '" + tmp + "'");
    ::unlink(tmp.c_str());
    return failed;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const Status failed = Errno("cannot rename to '" + path + "'");
    ::unlink(tmp.c_str());
    return failed;
  }
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

Result<CredentialsSource> EnsureCredentials(config::Config& config, SecureRandom& random) {
  if (Status s = EnsureDir(config.server.data_dir); !s.ok()) return s;
  if (!config.keys.empty()) return CredentialsSource{CredentialsSource::Kind::kConfigured, ""};
  const std::string path =
      (std::filesystem::path(config.server.data_dir) / kCredentialsFile).string();
  if (std::filesystem::exists(path)) {
    // The file is a config fragment ({"keys": [...]}), so it loads the same way.
    if (Status s = config::LoadFile(path, config); !s.ok()) return s;
    if (config.keys.empty()) return Status::InvalidArgument("'" + path + "' holds no keys");
    return CredentialsSource{CredentialsSource::Kind::kLoadedFromDataDir, path};
  }
  const Credential c = GenerateCredential(random);
  nlohmann::json file = {{"keys", {{{"access_key", c.access_key.str()}, {"secret", c.secret}}}}};
  if (Status s = WriteFileAtomically(path, file.dump(2) + "\n", 0600); !s.ok()) return s;
  config.keys.push_back({c.access_key.str(), c.secret});
  return CredentialsSource{CredentialsSource::Kind::kGenerated, path};
}

}  // namespace roomgate::server
