// SessionHub: what the clock drives (expiry, stale requests, the empty-room
// grace), ending a session on request, and shutdown.
#include "common/time_format.h"
#include "sessions/session_hub.h"

namespace roomgate::sessions {

using nlohmann::json;

// With lock, the room is disabled in the store before the session is
// looked up again and ended: a session that started meanwhile (the room was
// still enabled) is the one ended, and any later join is refused by
// RoomFor's re-read. Without a live session nothing changes (404).
Status SessionHub::EndNow(const RoomId& id, const std::string& reason, bool lock) {
  if (!FindLive(id)) return Status::NotFound("room has no active session");
  if (lock) {
    rooms::RoomChanges disable;
    disable.enabled = false;
    auto updated = rooms_.UpdateRoom(id, disable);
    if (!updated.ok()) return updated.error();
  }
  auto live = FindLive(id);
  if (!live) return Status::Ok();  // it ended meanwhile: what was asked for
  {
    std::lock_guard room_lock(live->mu);
    if (!live->closed) EndLocked(*live, reason, lock, json());
  }
  live->outbox.Deliver();
  Forget(live);
  return Status::Ok();
}

void SessionHub::Forget(const std::shared_ptr<LiveRoom>& room) {
  std::lock_guard lock(mu_);
  auto it = rooms_by_id_.find(room->room_id.str());
  if (it != rooms_by_id_.end() && it->second == room) rooms_by_id_.erase(it);
}

void SessionHub::Tick() {
  const UnixSeconds now = clock_.NowSeconds();
  std::vector<std::shared_ptr<LiveRoom>> rooms;
  {
    std::lock_guard lock(mu_);
    rooms.reserve(rooms_by_id_.size());
    for (const auto& [id, room] : rooms_by_id_) rooms.push_back(room);
  }
  for (const auto& room : rooms) {
    bool retire = false;
    {
      std::lock_guard lock(room->mu);
      TickRoom(*room, now, retire);
    }
    room->outbox.Deliver();
    if (retire) Retire(room->room_id, room, now);
  }
}

void SessionHub::TickRoom(LiveRoom& room, UnixSeconds now, bool& retire) {
  if (room.closed) return;
  std::vector<PeerId> expired;
  for (auto& [id, peer] : room.peers) {
    if (options_.remove_on_expiry && now >= peer.token_exp) {
      expired.push_back(peer.id);
    } else if (!peer.expiry_warned && peer.token_exp - now <= options_.expiry_warning.count()) {
      peer.expiry_warned = true;
      room.outbox.Send(peer.link, json{{"type", "token-expiring"},
                                       {"expires_at", FormatRfc3339(peer.token_exp)},
                                       {"seconds_left", std::max<int64_t>(0, peer.token_exp - now)}}
                                      .dump(-1, ' ', false, kReplaceInvalid));
    }
  }
  for (const PeerId& id : expired) {
    const int64_t exp = room.Find(id)->token_exp;
    RemoveLocked(room, id, LeaveReason::kTokenExpired,
                 json{{"type", "token-expired"}, {"expires_at", FormatRfc3339(exp)}},
                 kCloseTokenExpired);
  }
  std::erase_if(room.role_requests, [&](const auto& r) { return r.second.deadline <= now; });
  retire = room.peers.empty() && now - room.empty_since >= options_.empty_grace.count();
}

// Ends the session of a room that stayed empty through the grace. Checked
// again under both locks: a peer may have joined since the tick looked.
void SessionHub::Retire(const RoomId& id, const std::shared_ptr<LiveRoom>& room, UnixSeconds now) {
  std::lock_guard map_lock(mu_);
  std::lock_guard room_lock(room->mu);
  if (room->closed || !room->peers.empty() ||
      now - room->empty_since < options_.empty_grace.count()) {
    return;
  }
  CloseSessionLocked(*room, now);
  auto it = rooms_by_id_.find(id.str());
  if (it != rooms_by_id_.end() && it->second == room) rooms_by_id_.erase(it);
}

void SessionHub::Shutdown() {
  std::vector<std::shared_ptr<LiveRoom>> rooms;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [id, room] : rooms_by_id_) rooms.push_back(room);
    rooms_by_id_.clear();
  }
  const std::string notice =
      json{{"type", "server-shutdown"}}.dump(-1, ' ', false, kReplaceInvalid);
  for (const auto& room : rooms) {
    {
      std::lock_guard lock(room->mu);
      for (auto& [id, peer] : room->peers) {
        room->outbox.Send(peer.link, notice);
        room->outbox.Close(peer.link, 1001, "server shutting down");
      }
      peers_ -= room->peers.size();
      room->peers.clear();
      room->role_counts.clear();
      CloseSessionLocked(*room, clock_.NowSeconds());
    }
    room->outbox.Deliver();
  }
}

}  // namespace roomgate::sessions
