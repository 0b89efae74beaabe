#include "codes/code_service.h"

#include <set>

#include "codes/room_code.h"
#include "common/uuid.h"

namespace roomgate::codes {
namespace {
// A collision among 1.4e14 codes is rare; a few redraws make it vanishing.
constexpr int kInsertAttempts = 5;
}  // namespace

CodeService::CodeService(store::Store& store, const TokenMinter& minter, const Clock& clock,
                         SecureRandom& random, CodeOptions options)
    : store_(store), minter_(minter), clock_(clock), random_(random), options_(options) {}

Result<Room> CodeService::EnabledRoom(const RoomId& id) {
  auto room = store_.GetRoom(id);
  if (!room.ok()) return room.error();
  if (!room->enabled) return Status(Status::Code::kPermissionDenied, "room is disabled");
  return room;
}

Result<std::vector<RoomCode>> CodeService::Insert(const RoomId& room,
                                                  const std::vector<RoleName>& roles) {
  const UnixSeconds now = clock_.NowSeconds();
  for (int attempt = 0;; ++attempt) {
    std::vector<RoomCode> codes;
    for (const RoleName& role : roles) {
      codes.push_back(RoomCode{NewRoomCode(random_), room, role, true, now, now});
    }
    Status s = store_.CreateRoomCodes(codes, options_.max_codes_per_room);
    if (s.ok()) return codes;
    if (s.code() == Status::Code::kResourceExhausted) {
      // A limit of the resource, not a rate: 409 rather than 429, so clients
      // (which retry on 429) do not retry.
      return Status(
          Status::Code::kFailedPrecondition,
          "a room can have at most " + std::to_string(options_.max_codes_per_room) + " room codes");
    }
    if (s.code() != Status::Code::kAlreadyExists || attempt + 1 == kInsertAttempts) return s;
  }
}

Result<std::vector<RoomCode>> CodeService::CreateForAllRoles(const RoomId& room_id) {
  auto room = EnabledRoom(room_id);
  if (!room.ok()) return room.error();
  auto tmpl = store_.GetTemplate(room->template_id);
  if (!tmpl.ok()) return tmpl.error();
  // Reference §4.2: this call also syncs codes with the current roles, so
  // codes of roles deleted from the template are disabled.
  if (Status st = DisableCodesOfRemovedRoles(room_id, *tmpl); !st.ok()) return st;
  std::vector<RoleName> roles;
  for (const auto& [name, role] : tmpl->roles) roles.push_back(role.name);
  if (roles.empty()) return std::vector<RoomCode>{};
  return Insert(room_id, roles);
}

Result<RoomCode> CodeService::CreateForRole(const RoomId& room_id, const RoleName& role) {
  auto room = EnabledRoom(room_id);
  if (!room.ok()) return room.error();
  auto tmpl = store_.GetTemplate(room->template_id);
  if (!tmpl.ok()) return tmpl.error();
  if (!tmpl->roles.count(role.str())) {
    return Status::NotFound("role '" + role.str() + "' is not in the room's template");
  }
  auto codes = Insert(room_id, {role});
  if (!codes.ok()) return codes.error();
  return codes->front();
}

Result<store::Page<RoomCode>> CodeService::List(const RoomId& room,
                                                const store::RoomCodeFilter& filter,
                                                const store::PageRequest& page) {
  if (auto r = store_.GetRoom(room); !r.ok()) return r.error();
  return store_.ListRoomCodes(room, filter, page);
}

Result<RoomCode> CodeService::SetEnabled(const RoomCodeText& code, bool enabled) {
  if (enabled) {
    // Reference §4.5: a code whose room or role is gone cannot come back.
    auto current = store_.GetRoomCode(code);
    if (!current.ok()) return current.error();
    auto room = store_.GetRoom(current->room_id);
    if (!room.ok())
      return Status(Status::Code::kPermissionDenied, "the code's room no longer exists");
    auto tmpl = store_.GetTemplate(room->template_id);
    if (!tmpl.ok() || !tmpl->roles.count(current->role.str())) {
      return Status(Status::Code::kPermissionDenied,
                    "the code's role no longer exists in the room's template");
    }
  }
  return store_.SetRoomCodeEnabled(code, enabled, clock_.NowSeconds());
}

Status CodeService::DisableCodesOfRemovedRoles(const RoomId& room, const Template& tmpl) {
  std::set<std::string> stale;
  store::PageRequest page{100, ""};
  while (true) {
    auto codes = store_.ListRoomCodes(room, {std::nullopt, true}, page);
    if (!codes.ok()) return codes.error();
    for (const RoomCode& c : codes->data) {
      if (!tmpl.roles.count(c.role.str())) stale.insert(c.role.str());
    }
    if (codes->data.size() < page.limit) break;
    page.start = codes->last;
  }
  for (const std::string& role : stale) {
    auto changed = store_.SetRoleCodesEnabled(room, RoleName(role), false, clock_.NowSeconds());
    if (!changed.ok()) return changed.error();
  }
  return Status::Ok();
}

Result<MintedToken> CodeService::Redeem(std::string_view text,
                                        const std::optional<UserId>& user_id) {
  if (!IsWellFormedRoomCode(text)) return Status::NotFound("room code not found");
  auto code = store_.GetRoomCode(RoomCodeText(text));
  if (!code.ok()) {
    if (code.error().code() == Status::Code::kNotFound) {
      return Status::NotFound("room code not found");
    }
    return code.error();
  }
  if (!code->enabled) return Status(Status::Code::kPermissionDenied, "room code is disabled");
  auto room = EnabledRoom(code->room_id);
  if (!room.ok()) return room.error();
  auto tmpl = store_.GetTemplate(room->template_id);
  if (!tmpl.ok()) return tmpl.error();
  if (!tmpl->roles.count(code->role.str())) {
    return Status(Status::Code::kPermissionDenied, "the room code's role no longer exists");
  }
  AppTokenRequest request{room->id, code->role, user_id, options_.token_ttl};
  if (!request.user_id || request.user_id->empty()) request.user_id = UserId(NewUuidV4(random_));
  return minter_.MintApp(request);
}

}  // namespace roomgate::codes
