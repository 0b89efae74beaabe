#include "roomgate/secure_random.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>

namespace roomgate {
namespace {

TEST(SecureRandomTest, SuccessiveSmallRequestsDiffer) {
  std::array<uint8_t, 16> a{}, b{};
  OpenSslRandom().Fill(a);
  OpenSslRandom().Fill(b);
  EXPECT_NE(a, b);
}

TEST(SecureRandomTest, LargeRequestsAreFilledCompletely) {
  std::array<uint8_t, 4096> big{};
  OpenSslRandom().Fill(big);
  // 4096 zero bytes from a CSPRNG would be a broken generator.
  size_t zeros = 0;
  for (uint8_t v : big) zeros += v == 0;
  EXPECT_LT(zeros, 100u);
}

// A forked child must not replay the bytes its parent's buffer still holds.
TEST(SecureRandomTest, ForkedChildDoesNotRepeatParentBytes) {
  std::array<uint8_t, 16> warm{};
  OpenSslRandom().Fill(warm);  // the thread's buffer now holds unused bytes
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::array<uint8_t, 16> child{};
    OpenSslRandom().Fill(child);
    (void)!write(fds[1], child.data(), child.size());
    _exit(0);
  }
  std::array<uint8_t, 16> parent{}, child{};
  OpenSslRandom().Fill(parent);
  ASSERT_EQ(read(fds[0], child.data(), child.size()), 16);
  int status = 0;
  waitpid(pid, &status, 0);
  close(fds[0]);
  close(fds[1]);
  EXPECT_NE(parent, child);
}

}  // namespace
}  // namespace roomgate
