#include "media/janus_connection.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>

#include "media/fake_janus.h"
#include "media/janus_errors.h"

namespace roomgate::media {
namespace {

using namespace std::chrono_literals;
using Code = Status::Code;

// A reply of `kind` to `request`, carrying its transaction.
Json ReplyTo(const Json& request, const std::string& kind, Json extra = Json::object()) {
  Json reply = {{"janus", kind}, {"transaction", request.at("transaction")}};
  reply.update(extra);
  return reply;
}

class JanusConnectionTest : public ::testing::Test {
 protected:
  std::unique_ptr<JanusConnection> Connect() {
    options_.port = fake_.port();
    auto connection = JanusConnection::Connect(options_);
    EXPECT_TRUE(connection.ok()) << connection.error().message();
    return connection.ok() ? std::move(*connection) : nullptr;
  }

  // Starts a call and returns its eventual result.
  static std::future<Result<Json>> Start(JanusConnection& connection, Json request) {
    auto promise = std::make_shared<std::promise<Result<Json>>>();
    auto future = promise->get_future();
    connection.Call(std::move(request), [promise](Result<Json> r) { promise->set_value(r); });
    return future;
  }

  Json Next() {
    auto request = fake_.NextRequest();
    EXPECT_TRUE(request.has_value()) << "the fake Janus got no request";
    return request.value_or(Json{{"janus", "none"}, {"transaction", ""}});
  }

  FakeJanus fake_;
  JanusConnectionOptions options_{.port = 0,
                                  .api_secret = "",
                                  .connect_timeout = 2s,
                                  .request_timeout = 2s,
                                  .keepalive_interval = 1h};
};

TEST_F(JanusConnectionTest, AsksForJanusSubprotocolAndSendsSecretAndTransaction) {
  options_.api_secret = "s3cret";
  auto connection = Connect();
  auto session = std::async(std::launch::async, [&] { return connection->CreateSession(); });
  Json request = Next();
  EXPECT_EQ(fake_.subprotocol(), "janus-protocol");
  EXPECT_EQ(request["janus"], "create");
  EXPECT_EQ(request["apisecret"], "s3cret");
  ASSERT_TRUE(request["transaction"].is_string());
  EXPECT_GE(request["transaction"].get<std::string>().size(), 16u);
  fake_.Send(ReplyTo(request, "success", {{"data", {{"id", 1234}}}}));
  auto result = session.get();
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ(static_cast<uint64_t>(*result), 1234u);
}

TEST_F(JanusConnectionTest, MatchesRepliesArrivingOutOfOrder) {
  auto connection = Connect();
  auto first = Start(*connection, {{"janus", "info"}});
  auto second = Start(*connection, {{"janus", "create"}});
  Json request1 = Next();
  Json request2 = Next();
  EXPECT_NE(request1["transaction"], request2["transaction"]);
  fake_.Send(ReplyTo(request2, "success", {{"data", {{"id", 2}}}}));
  fake_.Send(ReplyTo(request1, "server_info", {{"name", "fake"}}));
  auto r1 = first.get();
  auto r2 = second.get();
  ASSERT_TRUE(r1.ok() && r2.ok());
  EXPECT_EQ((*r1)["name"], "fake");
  EXPECT_EQ((*r2)["data"]["id"], 2);
}

TEST_F(JanusConnectionTest, PluginMessageAckWaitsForEventWithSameTransaction) {
  auto connection = Connect();
  auto reply = std::async(std::launch::async, [&] {
    return connection->Message(JanusSession{7}, JanusHandle{9}, {{"request", "join"}});
  });
  Json request = Next();
  EXPECT_EQ(request["session_id"], 7);
  EXPECT_EQ(request["handle_id"], 9);
  EXPECT_EQ(request["body"]["request"], "join");
  fake_.Send(ReplyTo(request, "ack", {{"session_id", 7}}));
  EXPECT_EQ(reply.wait_for(150ms), std::future_status::timeout) << "an ack must not complete";
  fake_.Send(ReplyTo(request, "event",
                     {{"session_id", 7},
                      {"sender", 9},
                      {"plugindata", {{"plugin", "x"}, {"data", {{"videoroom", "joined"}}}}}}));
  auto result = reply.get();
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_EQ((*result)["plugindata"]["data"]["videoroom"], "joined");
}

TEST_F(JanusConnectionTest, AckCompletesNonPluginRequests) {
  auto connection = Connect();
  auto reply = Start(*connection, {{"janus", "keepalive"}, {"session_id", 7}});
  fake_.Send(ReplyTo(Next(), "ack", {{"session_id", 7}}));
  auto result = reply.get();
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)["janus"], "ack");
}

TEST_F(JanusConnectionTest, UnansweredRequestTimesOutAsUnavailable) {
  options_.request_timeout = 100ms;
  auto connection = Connect();
  auto reply = Start(*connection, {{"janus", "create"}});
  ASSERT_EQ(reply.wait_for(2s), std::future_status::ready);
  auto result = reply.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), Code::kUnavailable);
  EXPECT_NE(result.error().message().find("did not answer a 'create' request within 100 ms"),
            std::string::npos)
      << result.error().message();
  EXPECT_TRUE(connection->connected()) << "a timeout alone does not end the connection";
}

TEST_F(JanusConnectionTest, DisconnectFailsThePendingCallAndEveryLaterOneAtOnce) {
  options_.request_timeout = 10s;  // a silent Janus would hold the call this long
  auto connection = Connect();
  auto reply = Start(*connection, {{"janus", "create"}});
  connection->Disconnect();
  ASSERT_EQ(reply.wait_for(2s), std::future_status::ready) << "the pending call waited";
  EXPECT_EQ(reply.get().error().code(), Code::kUnavailable);
  auto later = Start(*connection, {{"janus", "create"}});
  ASSERT_EQ(later.wait_for(2s), std::future_status::ready);
  EXPECT_EQ(later.get().error().code(), Code::kUnavailable);
  EXPECT_FALSE(connection->connected());
}

TEST_F(JanusConnectionTest, MapsJanusErrorsWithReason) {
  auto connection = Connect();
  auto missing =
      std::async(std::launch::async, [&] { return connection->DestroySession(JanusSession{5}); });
  fake_.Send(
      ReplyTo(Next(), "error", {{"error", {{"code", 458}, {"reason", "No such session 5"}}}}));
  Status status = missing.get();
  EXPECT_EQ(status.code(), Code::kNotFound);
  EXPECT_EQ(status.message(), "Janus error 458: No such session 5");

  auto refused = std::async(std::launch::async, [&] { return connection->CreateSession(); });
  fake_.Send(ReplyTo(Next(), "error", {{"error", {{"code", 403}, {"reason", "Unauthorized"}}}}));
  auto result = refused.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), Code::kUnauthenticated);
}

TEST(JanusErrorsTest, MapsCoreAndVideoRoomCodes) {
  const struct {
    int janus;
    Code code;
  } cases[] = {
      {403, Code::kUnauthenticated},  {458, Code::kNotFound},      {459, Code::kNotFound},
      {426, Code::kNotFound},         {427, Code::kAlreadyExists}, {432, Code::kResourceExhausted},
      {433, Code::kPermissionDenied}, {490, Code::kInternal},      {12345, Code::kInternal}};
  for (const auto& c : cases) {
    Status status = JanusErrorToStatus(c.janus, "why");
    EXPECT_EQ(status.code(), c.code) << c.janus;
    EXPECT_EQ(status.message(), "Janus error " + std::to_string(c.janus) + ": why");
  }
}

TEST(JanusErrorsTest, PluginDataSurfacesPluginErrorCode) {
  Json reply = {
      {"janus", "success"},
      {"plugindata",
       {{"plugin", "janus.plugin.videoroom"},
        {"data", {{"videoroom", "event"}, {"error_code", 427}, {"error", "Room exists"}}}}}};
  auto data = PluginData(reply);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().code(), Code::kAlreadyExists);
  EXPECT_EQ(data.error().message(), "Janus error 427: Room exists");
  EXPECT_EQ(PluginData({{"janus", "success"}}).error().code(), Code::kInternal);
}

TEST_F(JanusConnectionTest, DeliversEventsToHandleListenerElseSessionListener) {
  auto connection = Connect();
  std::promise<JanusEvent> on_handle, on_session;
  connection->SetListener(JanusSession{7}, JanusHandle{9}, [&](Result<JanusEvent> e) {
    if (e.ok()) on_handle.set_value(*e);  // not the close at the end
  });
  connection->SetListener(JanusSession{7}, std::nullopt, [&](Result<JanusEvent> e) {
    if (e.ok()) on_session.set_value(*e);
  });
  fake_.Send({{"janus", "event"}, {"session_id", 8}, {"sender", 9}});  // nobody listens: dropped
  fake_.Send({{"janus", "webrtcup"}, {"session_id", 7}, {"sender", 9}});
  fake_.Send({{"janus", "hangup"}, {"session_id", 7}, {"sender", 10}, {"reason", "bye"}});
  JanusEvent handle_event = on_handle.get_future().get();
  EXPECT_EQ(handle_event.kind, "webrtcup");
  EXPECT_EQ(handle_event.handle, JanusHandle{9});
  JanusEvent session_event = on_session.get_future().get();
  EXPECT_EQ(session_event.kind, "hangup");
  EXPECT_EQ(session_event.handle, JanusHandle{10});
  EXPECT_EQ(session_event.message["reason"], "bye");
}

TEST_F(JanusConnectionTest, ConnectionLossFailsPendingCallsAndTellsListeners) {
  auto connection = Connect();
  std::promise<Status> told;
  connection->SetListener(JanusSession{7}, std::nullopt, [&](Result<JanusEvent> e) {
    told.set_value(e.ok() ? Status::Ok() : e.error());
  });
  auto pending = Start(*connection, {{"janus", "create"}});
  Next();
  fake_.Drop();
  const std::string expected =
      "Janus is unreachable at ws://127.0.0.1:" + std::to_string(fake_.port());
  auto result = pending.get();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), Code::kUnavailable);
  EXPECT_EQ(result.error().message().rfind(expected, 0), 0u) << result.error().message();
  Status listener_status = told.get_future().get();
  EXPECT_EQ(listener_status.code(), Code::kUnavailable);
  EXPECT_FALSE(connection->connected());
  auto after = connection->CallAndWait({{"janus", "create"}});
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code(), Code::kUnavailable);
}

TEST_F(JanusConnectionTest, ConnectFailsAsUnavailableWhenNobodyListens) {
  uint16_t port = 0;
  {
    FakeJanus gone;
    port = gone.port();
  }
  options_.port = port;
  auto connection = JanusConnection::Connect(options_);
  ASSERT_FALSE(connection.ok());
  EXPECT_EQ(connection.error().code(), Code::kUnavailable);
  EXPECT_NE(connection.error().message().find("Janus is unreachable at ws://127.0.0.1:"),
            std::string::npos);
}

TEST_F(JanusConnectionTest, RefusesBlockingCallFromItsOwnThread) {
  auto connection = Connect();
  std::promise<Status> inner;
  connection->Call({{"janus", "info"}}, [&](Result<Json>) {
    auto nested = connection->CallAndWait({{"janus", "info"}});
    inner.set_value(nested.ok() ? Status::Ok() : nested.error());
  });
  fake_.Send(ReplyTo(Next(), "server_info"));
  EXPECT_EQ(inner.get_future().get().code(), Code::kFailedPrecondition);
}

TEST_F(JanusConnectionTest, SendsKeepalivesForLiveSessionsUntilDestroyed) {
  options_.keepalive_interval = 50ms;
  auto connection = Connect();
  auto session = std::async(std::launch::async, [&] { return connection->CreateSession(); });
  fake_.Send(ReplyTo(Next(), "success", {{"data", {{"id", 42}}}}));
  ASSERT_TRUE(session.get().ok());
  for (int i = 0; i < 2; ++i) {
    Json keepalive = Next();
    EXPECT_EQ(keepalive["janus"], "keepalive");
    EXPECT_EQ(keepalive["session_id"], 42);
    fake_.Send(ReplyTo(keepalive, "ack", {{"session_id", 42}}));
  }
  auto destroyed =
      std::async(std::launch::async, [&] { return connection->DestroySession(JanusSession{42}); });
  Json request = Next();
  while (request["janus"] == "keepalive") request = Next();  // ones already in flight
  EXPECT_EQ(request["janus"], "destroy");
  fake_.Send(ReplyTo(request, "success", {{"session_id", 42}}));
  EXPECT_TRUE(destroyed.get().ok());
  // At most one keepalive may have left before the destroy completed.
  while (fake_.NextRequest(30ms).has_value()) {
  }
  EXPECT_FALSE(fake_.NextRequest(200ms).has_value()) << "keepalives continued after destroy";
}

TEST_F(JanusConnectionTest, SessionTimeoutEventStopsKeepalives) {
  options_.keepalive_interval = 50ms;
  auto connection = Connect();
  auto session = std::async(std::launch::async, [&] { return connection->CreateSession(); });
  fake_.Send(ReplyTo(Next(), "success", {{"data", {{"id", 43}}}}));
  ASSERT_TRUE(session.get().ok());
  fake_.Send({{"janus", "timeout"}, {"session_id", 43}});
  while (fake_.NextRequest(30ms).has_value()) {  // one may have been in flight
  }
  EXPECT_FALSE(fake_.NextRequest(200ms).has_value()) << "keepalives continued after timeout";
}

}  // namespace
}  // namespace roomgate::media
