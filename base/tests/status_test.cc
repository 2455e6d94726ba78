#include "referee/base/status.h"

#include <cerrno>

#include <gtest/gtest.h>

#include "referee/base/expected.h"

namespace referee {
namespace {

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(Status, ToStringIncludesLocationWhenKnown) {
  Status s = InvalidArgumentError("unknown severity 'loud'", {"rules/a.yaml", 4, 11});
  EXPECT_EQ(s.ToString(), "rules/a.yaml:4:11: error: unknown severity 'loud'");
  EXPECT_EQ(InvalidArgumentError("x", {"f"}).ToString(), "f: error: x");
  EXPECT_EQ(InvalidArgumentError("x").ToString(), "error: x");
}

TEST(Status, WithLocKeepsAnExistingLocation) {
  Status s = NotFoundError("gone", {"a", 1, 2}).WithLoc({"b", 3, 4});
  EXPECT_EQ(s.loc().file, "a");
  Status t = NotFoundError("gone").WithLoc({"b", 3, 4});
  EXPECT_EQ(t.loc().file, "b");
}

TEST(Status, ErrnoErrorMapsCodes) {
  EXPECT_EQ(ErrnoError("open x", ENOENT).code(), StatusCode::kNotFound);
  EXPECT_EQ(ErrnoError("open x", EACCES).code(), StatusCode::kPermissionDenied);
  EXPECT_NE(ErrnoError("open x", ENOENT).message().find("open x: "), std::string::npos);
}

Expected<int> Half(int x) {
  if (x % 2) return InvalidArgumentError("odd");
  return x / 2;
}

Expected<int> Quarter(int x) {
  REFEREE_ASSIGN_OR_RETURN(int h, Half(x));
  REFEREE_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(Expected, PropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Expected<int> bad = Quarter(6);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "odd");
  EXPECT_EQ(bad.value_or(-1), -1);
}

Status FailsOn(int x) {
  if (x == 3) return InternalError("three");
  return OkStatus();
}

Status Loop() {
  for (int i = 0; i < 5; ++i) REFEREE_RETURN_IF_ERROR(FailsOn(i));
  return OkStatus();
}

TEST(Status, ReturnIfErrorStopsAtTheFirstFailure) {
  EXPECT_EQ(Loop().message(), "three");
}

}  // namespace
}  // namespace referee
