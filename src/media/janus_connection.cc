// JanusConnection's public surface: connecting, Call, and the blocking
// session/handle helpers. The io-thread machinery is in janus_connection_io.cc.
#include "media/janus_connection.h"

#include <future>

#include "media/janus_connection_impl.h"

namespace roomgate::media {
namespace {

Result<uint64_t> DataId(const Result<Json>& reply, std::string_view what) {
  if (!reply.ok()) return reply.error();
  const auto data = reply->find("data");
  if (data == reply->end() || !data->is_object() || !data->contains("id") ||
      !(*data)["id"].is_number_unsigned()) {
    return Status::Internal("Janus answered " + std::string(what) +
                            " without an id: " + reply->dump());
  }
  return (*data)["id"].get<uint64_t>();
}

Status AsStatus(const Result<Json>& reply) { return reply.ok() ? Status::Ok() : reply.error(); }

}  // namespace

Result<std::unique_ptr<JanusConnection>> JanusConnection::Connect(JanusConnectionOptions options,
                                                                  SecureRandom& random) {
  auto impl = std::make_unique<Impl>(std::move(options), random);
  if (Status started = impl->Start(); !started.ok()) return started;
  return std::unique_ptr<JanusConnection>(new JanusConnection(std::move(impl)));
}

JanusConnection::JanusConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

JanusConnection::~JanusConnection() = default;  // Impl's destructor stops and joins

void JanusConnection::Disconnect() { impl_->Disconnect(); }

void JanusConnection::Call(Json request, Callback done) {
  impl_->Post(std::move(request), std::move(done));
}

Result<Json> JanusConnection::CallAndWait(Json request) {
  if (impl_->OnIoThread()) {
    return Status(Status::Code::kFailedPrecondition,
                  "a blocking Janus call from the Janus connection's own thread would deadlock");
  }
  // Completion is guaranteed: every call ends by reply, timeout or loss.
  auto promise = std::make_shared<std::promise<Result<Json>>>();
  auto future = promise->get_future();
  Call(std::move(request),
       [promise](Result<Json> result) { promise->set_value(std::move(result)); });
  return future.get();
}

Result<JanusSession> JanusConnection::CreateSession() {
  Result<uint64_t> id = DataId(CallAndWait({{"janus", "create"}}), "create");
  if (!id.ok()) return id.error();
  return JanusSession{*id};
}

Result<JanusHandle> JanusConnection::Attach(JanusSession session, std::string_view plugin) {
  Result<uint64_t> id = DataId(CallAndWait({{"janus", "attach"},
                                            {"session_id", static_cast<uint64_t>(session)},
                                            {"plugin", plugin}}),
                               "attach");
  if (!id.ok()) return id.error();
  return JanusHandle{*id};
}

Result<Json> JanusConnection::Message(JanusSession session, JanusHandle handle, Json body,
                                      std::optional<Json> jsep) {
  Json request = {{"janus", "message"},
                  {"session_id", static_cast<uint64_t>(session)},
                  {"handle_id", static_cast<uint64_t>(handle)},
                  {"body", std::move(body)}};
  if (jsep) request["jsep"] = std::move(*jsep);
  return CallAndWait(std::move(request));
}

Status JanusConnection::Detach(JanusSession session, JanusHandle handle) {
  Status status = AsStatus(CallAndWait({{"janus", "detach"},
                                        {"session_id", static_cast<uint64_t>(session)},
                                        {"handle_id", static_cast<uint64_t>(handle)}}));
  if (status.ok()) impl_->SetListener(session, handle, nullptr);
  return status;
}

Status JanusConnection::DestroySession(JanusSession session) {
  Status status =
      AsStatus(CallAndWait({{"janus", "destroy"}, {"session_id", static_cast<uint64_t>(session)}}));
  if (status.ok()) impl_->RemoveSessionListeners(session);
  return status;
}

void JanusConnection::SetListener(JanusSession session, std::optional<JanusHandle> handle,
                                  Listener listener) {
  impl_->SetListener(session, handle, std::move(listener));
}

bool JanusConnection::connected() const { return impl_->connected(); }

const std::string& JanusConnection::url() const { return impl_->url(); }

}  // namespace roomgate::media
