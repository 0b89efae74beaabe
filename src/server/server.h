// The composition root (STYLE.md rule 3): the one place that picks concrete
// implementations — SQLite store in the data folder, static keys, OpenSSL
// random, system clock — and wires them into the services, the router and
// the HTTP server.
//
// Thread-safety: Start/Stop from one thread; the running server is
// internally concurrent.
#ifndef ROOMGATE_SERVER_SERVER_H_
#define ROOMGATE_SERVER_SERVER_H_

#include <memory>
#include <ostream>

#include "api/router.h"
#include "config/config.h"
#include "roomgate/status.h"

namespace roomgate::server {

class Server {
 public:
  // Opens the store, seeds the default template, ensures credentials (see
  // bootstrap.h), binds the listen address and starts serving. Start-up
  // facts (address, where the credentials are) go to `info`.
  static Result<std::unique_ptr<Server>> Start(config::Config config, std::ostream& info);
  ~Server();

  uint16_t port() const;
  // Every (method, path pattern) the server answers, for the OpenAPI check.
  std::vector<api::RouteInfo> Routes() const;
  // Stops accepting, finishes in-flight requests, closes the store.
  void Stop();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Splits "HOST:PORT" ("[::1]:8080" for IPv6).
Result<std::pair<std::string, uint16_t>> ParseListenAddress(const std::string& listen);

}  // namespace roomgate::server

#endif  // ROOMGATE_SERVER_SERVER_H_
