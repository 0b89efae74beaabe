// SecureRandom: the source of unpredictable bytes (token ids, key pairs, and
// later room codes). Injected so tests can use a deterministic fake.
//
// Thread-safety: implementations must be safe to call from any thread.
#ifndef ROOMGATE_SECURE_RANDOM_H_
#define ROOMGATE_SECURE_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <span>

namespace roomgate {

class SecureRandom {
 public:
  virtual ~SecureRandom() = default;
  // Fills `out` entirely. Aborts the process if the CSPRNG fails: running on
  // with predictable ids or keys would be worse than stopping.
  virtual void Fill(std::span<uint8_t> out) = 0;
};

// OpenSSL's CSPRNG (RAND_bytes). Small requests are served from a per-thread
// buffer refilled 1 KiB at a time: one RAND_bytes call costs ~0.7 us whatever
// its size up to a few hundred bytes, which alone would cap token minting below
// 1.5 M/s. The buffer is dropped in a forked child so that parent and child
// never hand out the same bytes.
SecureRandom& OpenSslRandom();

}  // namespace roomgate

#endif  // ROOMGATE_SECURE_RANDOM_H_
