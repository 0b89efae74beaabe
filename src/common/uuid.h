// UUID version 4 (RFC 9562 §5.4) from a SecureRandom: the `jti` of every
// token, and server-generated user and peer ids.
//
// Thread-safety: as the SecureRandom passed in.
#ifndef ROOMGATE_COMMON_UUID_H_
#define ROOMGATE_COMMON_UUID_H_

#include <string>
#include <string_view>

#include "roomgate/secure_random.h"

namespace roomgate {

inline constexpr size_t kUuidLength = 36;

// Writes the 36-character lowercase form into `out` (no terminator).
void WriteUuidV4(SecureRandom& random, char out[kUuidLength]);
std::string NewUuidV4(SecureRandom& random);

// True for the canonical lowercase form with version 4 and variant 10xx.
bool IsUuidV4(std::string_view text);

}  // namespace roomgate

#endif  // ROOMGATE_COMMON_UUID_H_
