// Room codes: creating them for a room's roles, listing and toggling them,
// and redeeming one for an auth token (the public token endpoint).
//
// Semantics (reference §4.7, §5): a code stands for one (room, role), never
// expires, and works only while the code is enabled, its room is enabled and
// its role still exists in the room's template.
//
// Thread-safety: all methods may be called concurrently (the store is).
#ifndef ROOMGATE_CODES_CODE_SERVICE_H_
#define ROOMGATE_CODES_CODE_SERVICE_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "roomgate/clock.h"
#include "roomgate/secure_random.h"
#include "roomgate/token.h"
#include "store/store.h"

namespace roomgate::codes {

struct CodeOptions {
  size_t max_codes_per_room = 100;                // as 100ms
  std::optional<std::chrono::seconds> token_ttl;  // unset: the minter's default (24 h)
};

class CodeService {
 public:
  // Everything passed in must outlive the service.
  CodeService(store::Store& store, const TokenMinter& minter, const Clock& clock,
              SecureRandom& random, CodeOptions options = {});

  // A new code for every role of the room's template (§4.2), after disabling
  // the codes of roles no longer in it. kNotFound for an unknown room,
  // kPermissionDenied for a disabled one.
  Result<std::vector<RoomCode>> CreateForAllRoles(const RoomId& room);
  // A new code for one role (§4.3); kNotFound when the role is not in the
  // room's template.
  Result<RoomCode> CreateForRole(const RoomId& room, const RoleName& role);
  Result<store::Page<RoomCode>> List(const RoomId& room, const store::RoomCodeFilter& filter,
                                     const store::PageRequest& page);
  // kPermissionDenied when enabling a code whose room or role is gone.
  Result<RoomCode> SetEnabled(const RoomCodeText& code, bool enabled);

  // The token endpoint: an app token for the code's room and role. `user_id`
  // unset: a fresh uuid. kNotFound for an unknown or malformed code;
  // kPermissionDenied when the code, its room or its role is disabled/gone.
  Result<MintedToken> Redeem(std::string_view code, const std::optional<UserId>& user_id);

 private:
  Result<Room> EnabledRoom(const RoomId& id);
  Status DisableCodesOfRemovedRoles(const RoomId& room, const Template& tmpl);
  Result<std::vector<RoomCode>> Insert(const RoomId& room, const std::vector<RoleName>& roles);

  store::Store& store_;
  const TokenMinter& minter_;
  const Clock& clock_;
  SecureRandom& random_;
  CodeOptions options_;
};

}  // namespace roomgate::codes

#endif  // ROOMGATE_CODES_CODE_SERVICE_H_
