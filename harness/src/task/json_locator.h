// Where each value of a JSON text starts, by JSON pointer (RFC 6901: "/inputs/x/shape/0"), so
// that a task's type errors name `file:line:col` (issue 20); nlohmann's parser keeps no
// positions. The scan is iterative (an explicit stack) and also rejects what nlohmann would
// accept but the task reader must not: nesting deeper than kMaxJsonDepth and numbers that
// overflow to infinity (`1e999`), each at its position.
//
//   JsonLocator where(text, "task/definition.json");
//   REFEREE_RETURN_IF_ERROR(where.status());
//   return InvalidArgumentError("dtype must be a string", where.At("/inputs/x/dtype"));
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "referee/base/status.h"

namespace referee::harness {

// Task files nest 5 deep; deeper ones are refused before anything walks them.
inline constexpr int kMaxJsonDepth = 64;

class JsonLocator final {
 public:
  // `line_offset` is added to every line (a workload.jsonl line is located in its file).
  JsonLocator(std::string_view text, std::string path, int line_offset = 0);

  // Not ok: the text nests too deep or holds an infinite number (located). Malformed JSON is
  // left to the parser, which reports it.
  const Status& status() const { return status_; }
  // The start of the value at `pointer`; of its nearest recorded ancestor when absent; the
  // file's 1:1 at worst.
  SourceLoc At(std::string_view pointer) const;
  // The location `offset` bytes into the string value at `pointer` (after its opening quote;
  // escapes are not undone, so the column is exact for expressions without them).
  SourceLoc InString(std::string_view pointer, size_t offset) const;

  // `key` escaped for a pointer ("a/b" -> "a~1b").
  static std::string Escape(std::string_view key);

 private:
  void Scan();
  SourceLoc LocAt(size_t offset) const;

  std::string_view text_;
  std::string path_;
  int line_offset_;
  Status status_;
  std::unordered_map<std::string, size_t> starts_;
};

}  // namespace referee::harness
