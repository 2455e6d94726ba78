#include "referee/search/blob_store.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "referee/base/file.h"
#include "referee/search/program.h"
#include "referee/search/sha256.h"
#include "test_util.h"

namespace referee::search {
namespace {

TEST(Sha256, MatchesTheStandardVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::string million(1000000, 'a');
  EXPECT_EQ(Sha256Hex(million), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(BlobStore, StoresByContentAndVerifiesOnRead) {
  TempDir dir;
  BlobStore blobs(dir / "blobs");
  Expected<std::string> id = blobs.Put("hello");
  ASSERT_TRUE(id) << id.error().ToString();
  EXPECT_EQ(*id, Sha256Hex("hello"));
  EXPECT_EQ(*blobs.Put("hello"), *id);  // idempotent
  EXPECT_EQ(*blobs.Get(*id), "hello");
  ASSERT_TRUE(WriteFile(blobs.PathOf(*id), "tampered").ok());
  Expected<std::string> bad = blobs.Get(*id);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), StatusCode::kDataLoss);
  EXPECT_FALSE(blobs.Get("../../etc/passwd"));
}

TEST(BlobStore, AFileSizeLimitIsAOneLineErrorAndLeavesNoPartialBlob) {
  TempDir dir;
  // In a child: RLIMIT_FSIZE stands in for a full disk (EFBIG instead of ENOSPC).
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    rlimit lim{4096, 4096};
    setrlimit(RLIMIT_FSIZE, &lim);
    BlobStore blobs(dir / "blobs");
    Expected<std::string> small = blobs.Put("small");
    Expected<std::string> big = blobs.Put(std::string(100000, 'x'));
    bool ok = small && !big && big.error().code() == StatusCode::kResourceExhausted &&
              big.error().ToString().find('\n') == std::string::npos &&
              big.error().message().find("File too large") != std::string::npos;
    _exit(ok ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  int files = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(dir / "blobs")) {
    files += e.is_regular_file();
  }
  EXPECT_EQ(files, 1);  // the small blob only: no temporary left behind
}

TEST(Program, RoundTripsThroughBlobsAndHashesByContent) {
  TempDir dir;
  BlobStore blobs(dir / "blobs");
  Program p{{{"kernel.py", "x = 1\n"}, {"lib/util.py", "y = 2\n"}}};
  Expected<std::string> manifest = StoreProgram(blobs, p);
  ASSERT_TRUE(manifest);
  Expected<Program> back = LoadProgram(blobs, *manifest);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, p);
  Program q = p;
  q.files["kernel.py"] = "x = 2\n";
  EXPECT_NE(ProgramHash(p), ProgramHash(q));
  EXPECT_EQ(ProgramHash(p), ProgramHash(*back));
}

TEST(Program, RefusesUnsafeNames) {
  EXPECT_TRUE(IsSafeRelativeName("a/b.py"));
  EXPECT_FALSE(IsSafeRelativeName("../x"));
  EXPECT_FALSE(IsSafeRelativeName("/etc/passwd"));
  EXPECT_FALSE(IsSafeRelativeName("a/../../x"));
  EXPECT_FALSE(IsSafeRelativeName(".hidden"));
  EXPECT_FALSE(IsSafeRelativeName(""));
}

TEST(Program, FindsEditableRegionsAndRejectsUnbalancedMarkers) {
  Expected<std::vector<Region>> r =
      FindRegions("a\n# referee: begin-editable\nb\n# referee: end-editable\nc\n", "k.py");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].begin_line, 2);
  EXPECT_EQ((*r)[0].end_line, 4);
  Expected<std::vector<Region>> bad = FindRegions("a\n# referee: begin-editable\nb\n", "k.py");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().ToString(), "k.py:2:1: error: 'referee: begin-editable' is never closed");
  Expected<std::vector<Region>> stray = FindRegions("a\n// referee: end-editable\n", "k.cu");
  ASSERT_FALSE(stray);
  EXPECT_EQ(stray.error().ToString(),
            "k.cu:2:4: error: 'referee: end-editable' without a begin marker");
}

}  // namespace
}  // namespace referee::search
