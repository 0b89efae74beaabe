// Room code text: ten lowercase letters as 3-4-3 ("abc-defg-hij"), drawn
// uniformly from the CSPRNG. 26^10 ≈ 1.4e14 codes (~47 bits): a code is a
// bearer credential for its (room, role), so it must be unguessable, and the
// token endpoint rate-limits failed guesses on top (see rate_limiter.h).
//
// Thread-safety: pure functions (thread-safe as the SecureRandom passed in).
#ifndef ROOMGATE_CODES_ROOM_CODE_H_
#define ROOMGATE_CODES_ROOM_CODE_H_

#include <string_view>

#include "roomgate/secure_random.h"
#include "rooms/model.h"

namespace roomgate::codes {

inline constexpr size_t kRoomCodeLength = 12;  // 10 letters and 2 dashes

RoomCodeText NewRoomCode(SecureRandom& random);

// The exact shape NewRoomCode produces. Lets the token endpoint refuse junk
// (and the store never see it) before any lookup.
bool IsWellFormedRoomCode(std::string_view code);

}  // namespace roomgate::codes

#endif  // ROOMGATE_CODES_ROOM_CODE_H_
