#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "roomgate/secure_random.h"

namespace roomgate {
namespace {

constexpr size_t kBufferBytes = 1024;
// Requests at least this large bypass the buffer: they amortise the call.
constexpr size_t kDirectBytes = 256;

// Bumped in every forked child so each thread's buffer is known to be stale.
std::atomic<uint64_t> fork_generation{0};

[[noreturn]] void DieOnRandFailure() {
  std::fputs("roomgate: OpenSSL RAND_bytes failed; refusing to continue\n", stderr);
  std::abort();
}

void FillDirect(std::span<uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) DieOnRandFailure();
}

struct ThreadBuffer {
  uint8_t bytes[kBufferBytes];
  size_t used = kBufferBytes;  // empty
  uint64_t generation = 0;

  ~ThreadBuffer() { OPENSSL_cleanse(bytes, sizeof(bytes)); }

  void Take(std::span<uint8_t> out) {
    const uint64_t gen = fork_generation.load(std::memory_order_relaxed);
    if (gen != generation) {
      used = kBufferBytes;
      generation = gen;
    }
    if (kBufferBytes - used < out.size()) {
      FillDirect(bytes);
      used = 0;
    }
    std::memcpy(out.data(), bytes + used, out.size());
    // Bytes handed out are wiped so the buffer never holds past output.
    OPENSSL_cleanse(bytes + used, out.size());
    used += out.size();
  }
};

class OpenSslRandomImpl final : public SecureRandom {
 public:
  OpenSslRandomImpl() {
    pthread_atfork(nullptr, nullptr,
                   [] { fork_generation.fetch_add(1, std::memory_order_relaxed); });
  }
  void Fill(std::span<uint8_t> out) override {
    if (out.size() >= kDirectBytes) return FillDirect(out);
    thread_local ThreadBuffer buffer;
    buffer.Take(out);
  }
};

}  // namespace

SecureRandom& OpenSslRandom() {
  static OpenSslRandomImpl random;
  return random;
}

}  // namespace roomgate
