#include "sessions/live_room.h"

#include "common/time_format.h"
#include "sessions/protocol.h"

namespace roomgate::sessions {

nlohmann::json PeerJson(const LivePeer& peer) {
  return {{"peer_id", peer.id.str()},      {"name", peer.name},
          {"user_id", peer.user_id.str()}, {"role", peer.role.str()},
          {"metadata", peer.metadata},     {"joined_at", FormatRfc3339(peer.joined_at)}};
}

void RefreshText(LivePeer& peer) {
  peer.text = PeerJson(peer).dump(-1, ' ', false, kReplaceInvalid);
}

PeerView ToView(const LivePeer& peer) {
  return PeerView{peer.id, peer.name, peer.user_id, peer.role, peer.metadata, peer.joined_at};
}

LiveRoom::LiveRoom(RoomId room, SessionId session, UnixSeconds started)
    : room_id(std::move(room)), session_id(std::move(session)), started_at(started) {}

LivePeer* LiveRoom::Find(const PeerId& id) {
  auto it = peers.find(id.str());
  return it == peers.end() ? nullptr : &it->second;
}

const Role* LiveRoom::FindRole(const RoleName& name) const {
  if (!tmpl) return nullptr;
  auto it = tmpl->roles.find(name.str());
  return it == tmpl->roles.end() ? nullptr : &it->second;
}

Outbox::Links LiveRoom::LinksExcept(const PeerId& except) const {
  Outbox::Links links;
  links.reserve(peers.size());
  for (const auto& [id, p] : peers) {
    if (p.id != except) links.push_back(p.link);
  }
  return links;
}

}  // namespace roomgate::sessions
