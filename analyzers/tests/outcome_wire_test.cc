#include "outcome_wire.h"

#include <gtest/gtest.h>

namespace referee::analyzers {
namespace {

FileOutcome Sample() {
  FileOutcome o;
  o.analyzed = true;
  o.output.file.path = "k.cu";
  o.output.file.language = rules::Language::kCuda;
  o.output.file.status = rules::FileStatus::kPartial;
  o.output.file.error = "k.cu:3:1: error: x";
  o.output.file.notes = {"a note", std::string("nul\0byte", 8)};
  rules::Finding f;
  f.rule_id = "r";
  f.category = rules::Category::kTiming;
  f.severity = rules::Severity::kError;
  f.path = "k.cu";
  f.line = 3, f.column = 4, f.end_line = 5, f.end_column = 6;
  f.message = "m";
  f.snippet = "s";
  o.output.findings = {f, f};
  return o;
}

TEST(OutcomeWire, RoundTrips) {
  FileOutcome in = Sample();
  FileOutcome out;
  ASSERT_TRUE(DecodeOutcome(EncodeOutcome(in), &out));
  EXPECT_TRUE(out.analyzed);
  EXPECT_FALSE(out.internal_error);
  EXPECT_EQ(out.output.file.path, "k.cu");
  EXPECT_EQ(out.output.file.language, rules::Language::kCuda);
  EXPECT_EQ(out.output.file.status, rules::FileStatus::kPartial);
  EXPECT_EQ(out.output.file.error, in.output.file.error);
  EXPECT_EQ(out.output.file.notes, in.output.file.notes);
  ASSERT_EQ(out.output.findings.size(), 2u);
  EXPECT_EQ(out.output.findings[1].category, rules::Category::kTiming);
  EXPECT_EQ(out.output.findings[1].end_column, 6);
  EXPECT_EQ(out.output.findings[1].snippet, "s");
}

TEST(OutcomeWire, RejectsEveryTruncationAndTrailingBytes) {
  std::string bytes = EncodeOutcome(Sample());
  FileOutcome out;
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeOutcome(bytes.substr(0, n), &out)) << n;
  }
  EXPECT_FALSE(DecodeOutcome(bytes + "x", &out));
}

TEST(OutcomeWire, RejectsOutOfRangeEnumsAndHugeCounts) {
  std::string bytes = EncodeOutcome(Sample());
  FileOutcome out;
  // The flags word, then the path (4 + 4 bytes), then the language.
  std::string bad = bytes;
  bad[4] = 7;
  EXPECT_FALSE(DecodeOutcome(bad, &out));
  bad = bytes;
  bad[16] = 3;  // language past kPython
  EXPECT_FALSE(DecodeOutcome(bad, &out));
  bad = bytes;
  bad[8] = '\xff', bad[9] = '\xff', bad[10] = '\xff', bad[11] = '\x7f';  // path length
  EXPECT_FALSE(DecodeOutcome(bad, &out));
}

}  // namespace
}  // namespace referee::analyzers
