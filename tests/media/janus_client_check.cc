// janus_client_check: drives a real Janus through roomgate's JanusConnection
// and VideoRoomAdmin (src/media/), for tests/media/janus_client_test.sh.
//
//   janus_client_check --port WS_PORT --api-secret S --janus-pid PID
//
// Checks, in order: requests with a wrong or missing apisecret are refused
// (403 → kUnauthenticated); a session + VideoRoom handle; a room created with
// a secret (and 427 → kAlreadyExists on a second create); `list` shows it;
// destroy with a wrong secret is refused (433 → kPermissionDenied), with the
// right one succeeds, and the room is gone (426 → kNotFound); finally Janus is
// frozen (SIGSTOP) so a request is really in flight, then killed: the call
// fails with kUnavailable well before its timeout and the listener is told.
// Kills only the pid it is given. Prints "ok N - ..." lines; exit 1 on the
// first failure.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>

#include "media/janus_connection.h"
#include "media/videoroom.h"

namespace roomgate::media {
namespace {

using Code = Status::Code;
using namespace std::chrono_literals;

int checks = 0;

void Check(bool ok, const std::string& what, const std::string& detail = "") {
  if (!ok) {
    std::fprintf(stderr, "FAIL: %s %s\n", what.c_str(), detail.c_str());
    std::exit(1);
  }
  std::printf("ok %d - %s\n", ++checks, what.c_str());
  std::fflush(stdout);
}

struct Args {
  uint16_t port = 0;
  std::string api_secret;
  pid_t janus_pid = 0;
};

Args ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--port") args.port = static_cast<uint16_t>(std::atoi(argv[i + 1]));
    if (flag == "--api-secret") args.api_secret = argv[i + 1];
    if (flag == "--janus-pid") args.janus_pid = static_cast<pid_t>(std::atoi(argv[i + 1]));
  }
  Check(args.port != 0 && !args.api_secret.empty() && args.janus_pid > 0,
        "arguments: --port, --api-secret and --janus-pid given");
  return args;
}

std::unique_ptr<JanusConnection> ConnectWith(uint16_t port, const std::string& secret) {
  JanusConnectionOptions options;
  options.port = port;
  options.api_secret = secret;
  auto connection = JanusConnection::Connect(options);
  Check(connection.ok(), "connected to ws://127.0.0.1:" + std::to_string(port),
        connection.ok() ? "" : connection.error().message());
  return std::move(*connection);
}

void CheckSecretEnforced(const Args& args) {
  for (const std::string& secret : {std::string("wrong-") + args.api_secret, std::string()}) {
    auto connection = ConnectWith(args.port, secret);
    auto session = connection->CreateSession();
    Check(!session.ok() && session.error().code() == Code::kUnauthenticated &&
              session.error().message().starts_with("Janus error 403"),
          secret.empty() ? "missing apisecret refused (403)" : "wrong apisecret refused (403)",
          session.ok() ? "(accepted)" : session.error().message());
  }
}

uint64_t RandomRoomId() {
  uint8_t bytes[4];
  OpenSslRandom().Fill(bytes);
  return 100000000 + (uint64_t{bytes[0]} << 16 | uint64_t{bytes[1]} << 8 | bytes[2]) % 800000000;
}

void CheckRoomLifecycle(VideoRoomAdmin& admin) {
  const VideoRoomSpec spec{JanusRoom{RandomRoomId()}, "room-secret-xyz", 4, "roomgate client test"};
  auto room = admin.CreateRoom(spec);
  Check(room.ok() && *room == *spec.room, "room created with a secret",
        room.ok() ? "" : room.error().message());
  auto again = admin.CreateRoom(spec);
  Check(!again.ok() && again.error().code() == Code::kAlreadyExists,
        "creating it again: kAlreadyExists (427)", again.ok() ? "" : again.error().message());
  auto rooms = admin.ListRooms();
  bool listed = false;
  for (const auto& info : rooms.ok() ? *rooms : std::vector<VideoRoomInfo>{}) {
    listed |=
        info.room == *spec.room && info.description == spec.description && info.max_publishers == 4;
  }
  Check(listed, "list shows the room with its description and publishers cap");
  Status wrong = admin.DestroyRoom(*spec.room, "wrong-secret");
  Check(wrong.code() == Code::kPermissionDenied, "destroy with a wrong secret refused (433)",
        wrong.message());
  Status destroyed = admin.DestroyRoom(*spec.room, spec.secret);
  Check(destroyed.ok(), "destroyed with its secret", destroyed.message());
  Status gone = admin.DestroyRoom(*spec.room, spec.secret);
  Check(gone.code() == Code::kNotFound, "destroying it again: kNotFound (426)", gone.message());
}

// Freezes Janus so the request is really pending, then kills it.
void CheckJanusLossMidCall(JanusConnection& connection, VideoRoomAdmin& admin, pid_t janus) {
  std::promise<Status> told;
  connection.SetListener(admin.session(), std::nullopt, [&](Result<JanusEvent> event) {
    if (!event.ok()) told.set_value(event.error());
  });
  Check(kill(janus, SIGSTOP) == 0, "Janus frozen (SIGSTOP)");
  const auto start = std::chrono::steady_clock::now();
  auto listing = std::async(std::launch::async, [&] { return admin.ListRooms(); });
  Check(listing.wait_for(300ms) == std::future_status::timeout, "a request is in flight");
  Check(kill(janus, SIGKILL) == 0, "Janus killed mid-call");
  auto result = listing.get();
  const auto waited = std::chrono::steady_clock::now() - start;
  const std::string expected = "Janus is unreachable at " + connection.url();
  Check(!result.ok() && result.error().code() == Code::kUnavailable &&
            result.error().message().starts_with(expected),
        "the pending call failed: kUnavailable, '" + expected + " (...)'",
        result.ok() ? "(succeeded)" : result.error().message());
  Check(waited < 4s, "failed by the connection loss, not by the 5 s timeout");
  auto told_future = told.get_future();
  Check(told_future.wait_for(2s) == std::future_status::ready &&
            told_future.get().code() == Code::kUnavailable,
        "the session's listener was told");
  auto after = connection.CreateSession();
  Check(!after.ok() && after.error().code() == Code::kUnavailable,
        "later calls fail at once with kUnavailable (no reconnect)");
}

int Run(int argc, char** argv) {
  const Args args = ParseArgs(argc, argv);
  CheckSecretEnforced(args);
  auto connection = ConnectWith(args.port, args.api_secret);
  auto admin = VideoRoomAdmin::Open(*connection);
  Check(admin.ok(), "session created and janus.plugin.videoroom attached",
        admin.ok() ? "" : admin.error().message());
  CheckRoomLifecycle(**admin);
  CheckJanusLossMidCall(*connection, **admin, args.janus_pid);
  std::printf("janus_client_check: %d checks passed\n", checks);
  return 0;
}

}  // namespace
}  // namespace roomgate::media

int main(int argc, char** argv) { return roomgate::media::Run(argc, argv); }
