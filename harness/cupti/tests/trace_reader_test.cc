#include "referee/cupti/trace_reader.h"

#include <gtest/gtest.h>

#include <cstring>

#include "trace_builder.h"

namespace referee::cupti {
namespace {

using testing::TraceBuilder;

std::string SampleStream() {
  TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000).Kernel("k", 1500, 2500).Kernel("k2", 2600, 2900);
  return b.Encode();  // 3 records per frame: frames 0 (start), 1, 2, 3 (final)
}

FrameHeader HeaderAt(const std::string& s, size_t offset) {
  FrameHeader h;
  std::memcpy(&h, s.data() + offset, sizeof(h));
  return h;
}

void PutHeader(std::string& s, size_t offset, const FrameHeader& h) {
  std::memcpy(s.data() + offset, &h, sizeof(h));
}

TEST(TraceReaderTest, ParsesWellFormedStream) {
  Expected<Trace> trace = ParseTrace(SampleStream());
  ASSERT_TRUE(trace) << trace.error().ToString();
  EXPECT_EQ(trace->records.size(), 6u);
  EXPECT_EQ(trace->frames, 4u);
  EXPECT_EQ(trace->cupti_version, 130001u);
  EXPECT_EQ(trace->records[2].kind, RecordKind::kRuntimeApi);
}

TEST(TraceReaderTest, RejectsMissingFrame) {
  std::string s = SampleStream();
  size_t frame1 = sizeof(FrameHeader);
  size_t frame1_size = sizeof(FrameHeader) + 3 * sizeof(WireRecord);
  s.erase(frame1, frame1_size);
  Expected<Trace> trace = ParseTrace(s);
  ASSERT_FALSE(trace);
  EXPECT_EQ(trace.error().code(), StatusCode::kDataLoss);
  EXPECT_NE(trace.error().message().find("sequence number 2"), std::string::npos);
}

TEST(TraceReaderTest, RejectsRecordTotalMismatch) {
  std::string s = SampleStream();
  size_t frame1 = sizeof(FrameHeader);
  FrameHeader h = HeaderAt(s, frame1);
  h.records_total += 1;  // one record claimed but never delivered
  PutHeader(s, frame1, h);
  Expected<Trace> trace = ParseTrace(s);
  ASSERT_FALSE(trace);
  EXPECT_NE(trace.error().message().find("record total"), std::string::npos);
}

TEST(TraceReaderTest, RejectsTruncatedStream) {
  std::string s = SampleStream();
  s.resize(s.size() - sizeof(FrameHeader) - 10);
  Expected<Trace> trace = ParseTrace(s);
  ASSERT_FALSE(trace);
  EXPECT_EQ(trace.error().code(), StatusCode::kDataLoss);
}

TEST(TraceReaderTest, RejectsStreamWithoutFinalFrame) {
  std::string s = SampleStream();
  s.resize(s.size() - sizeof(FrameHeader));
  Expected<Trace> trace = ParseTrace(s);
  ASSERT_FALSE(trace);
  EXPECT_NE(trace.error().message().find("no final frame"), std::string::npos);
}

TEST(TraceReaderTest, RejectsDataAfterFinalFrame) {
  std::string s = SampleStream();
  s += s.substr(0, sizeof(FrameHeader));
  EXPECT_FALSE(ParseTrace(s));
}

TEST(TraceReaderTest, RejectsBadMagic) {
  std::string s = SampleStream();
  s[0] ^= 0x55;
  Expected<Trace> trace = ParseTrace(s);
  ASSERT_FALSE(trace);
  EXPECT_NE(trace.error().message().find("bad magic"), std::string::npos);
}

TEST(TraceReaderTest, RejectsDroppedRecords) {
  Expected<Trace> trace = ParseTrace(EncodeTrace({}, 130001, /*dropped=*/3));
  ASSERT_FALSE(trace);
  EXPECT_EQ(trace.error().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(trace.error().message(), "CUPTI dropped 3 records");
}

TEST(TraceReaderTest, RejectsEmptyStream) { EXPECT_FALSE(ParseTrace("")); }

TEST(TraceReaderTest, MissingFileIsNotFound) {
  Expected<Trace> trace = ReadTraceFile("/nonexistent/trace.bin");
  ASSERT_FALSE(trace);
  EXPECT_EQ(trace.error().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace referee::cupti

namespace referee::cupti {
namespace {

TEST(TraceStreamParserTest, ByteByByteFeedingMatchesWholeParse) {
  testing::TraceBuilder b;
  b.Window(1, WindowKind::kCall, 1000, 5000).Kernel("k", 1500, 2500);
  std::string s = b.Encode();
  TraceStreamParser parser;
  for (char c : s) ASSERT_TRUE(parser.Feed(std::string_view(&c, 1)).ok());
  EXPECT_TRUE(parser.Finish().ok());
  EXPECT_EQ(parser.trace().records.size(), 4u);
  EXPECT_EQ(parser.pending_bytes(), 0u);
}

TEST(TraceStreamParserTest, PartialFrameIsNotYetARecordAndErrorsStick) {
  testing::TraceBuilder b;
  b.Kernel("k", 1500, 2500);
  std::string s = b.Encode();
  TraceStreamParser parser;
  ASSERT_TRUE(parser.Feed(s.substr(0, sizeof(FrameHeader) + 10)).ok());
  EXPECT_TRUE(parser.trace().records.empty());
  EXPECT_FALSE(parser.Finish().ok());  // truncated
  ASSERT_TRUE(parser.Feed(s.substr(sizeof(FrameHeader) + 10)).ok());
  EXPECT_TRUE(parser.Finish().ok());
  EXPECT_EQ(parser.trace().records.size(), 2u);
  TraceStreamParser broken;
  std::string corrupt = s;
  corrupt[sizeof(FrameHeader) + 8] ^= 0x01;  // frame 1's sequence number
  EXPECT_FALSE(broken.Feed(corrupt).ok());
  EXPECT_FALSE(broken.Feed("").ok());
}

}  // namespace
}  // namespace referee::cupti
