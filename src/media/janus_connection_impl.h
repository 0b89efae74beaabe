// JanusConnection::Impl: the socket, the pending transactions, the keepalive
// timers and the listeners behind JanusConnection (janus_connection.h).
// Internal to src/media/.
//
// Thread-safety: Start/Stop run on the owner's thread; Post, SetListener,
// connected() and OnIoThread() from any thread. Everything else runs on the
// io thread only, which is the single thread running io_, so the
// transaction and keepalive maps need no lock. The listener map is the one
// exception (SetListener is synchronous for callers): it has a mutex, and
// listeners are invoked outside it.
#ifndef ROOMGATE_MEDIA_JANUS_CONNECTION_IMPL_H_
#define ROOMGATE_MEDIA_JANUS_CONNECTION_IMPL_H_

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "media/janus_connection.h"
#include "net/boost.h"

namespace roomgate::media {

namespace asio = net::asio;
namespace websocket = net::websocket;

class JanusConnection::Impl {
 public:
  Impl(JanusConnectionOptions options, SecureRandom& random);
  ~Impl();

  // Connects and handshakes on the calling thread, then starts the io thread.
  Status Start();
  // Closes the socket (failing whatever is pending) and joins the io thread.
  void Stop();
  void Disconnect();

  // Sends `request` from the io thread; `done` runs there exactly once.
  void Post(Json request, Callback done);
  void SetListener(JanusSession session, std::optional<JanusHandle> handle, Listener listener);
  void RemoveSessionListeners(JanusSession session);

  bool connected() const { return connected_.load(); }
  bool OnIoThread() const { return std::this_thread::get_id() == io_thread_id_.load(); }
  const std::string& url() const { return url_; }

 private:
  struct Pending {
    std::string kind;  // the request's `janus`, e.g. "message"
    uint64_t session = 0;
    Callback done;
    std::unique_ptr<asio::steady_timer> timer;
  };
  // (session, handle); handle 0 is the session's own listener (Janus never
  // hands out 0 as an id).
  using ListenerKey = std::pair<uint64_t, uint64_t>;

  template <class StartOp>
  boost::system::error_code RunForConnect(StartOp start);
  void Send(Json request, Callback done);
  std::string NextTransaction();
  void Write(std::string text);
  void WriteNext();
  void ReadNext();
  void OnMessage(std::string_view text);
  bool OnReply(const std::string& transaction, const std::string& kind, const Json& message);
  void Complete(const std::string& transaction, Result<Json> result);
  void DeliverEvent(const std::string& kind, const Json& message);
  void NotifyListener(JanusSession session, std::optional<JanusHandle> handle,
                      Result<JanusEvent> event);
  void Lose(std::string reason);
  void StartKeepalive(uint64_t session);
  void ArmKeepalive(uint64_t session);
  void StopKeepalive(uint64_t session);
  std::string Unreachable(std::string_view why) const;

  const JanusConnectionOptions options_;
  SecureRandom& random_;
  const std::string url_;
  std::string transaction_prefix_;
  uint64_t transaction_counter_ = 0;

  asio::io_context io_;
  websocket::stream<net::tcp::socket> ws_{io_};
  net::beast::flat_buffer read_buffer_;
  std::deque<std::string> write_queue_;
  std::map<std::string, Pending> pending_;
  std::map<uint64_t, std::unique_ptr<asio::steady_timer>> keepalives_;
  std::atomic<bool> connected_{false};

  std::mutex listeners_mu_;
  std::map<ListenerKey, Listener> listeners_;  // guarded by listeners_mu_

  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread io_thread_;
  std::atomic<std::thread::id> io_thread_id_{};
};

}  // namespace roomgate::media

#endif  // ROOMGATE_MEDIA_JANUS_CONNECTION_IMPL_H_
