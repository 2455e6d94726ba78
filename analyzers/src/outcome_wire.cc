#include "outcome_wire.h"

#include <cstdint>
#include <cstring>

namespace referee::analyzers {
namespace {

constexpr uint32_t kMagic = 0x52464f31;  // "RFO1"
// Generous bounds a well-formed outcome never reaches; anything above is corruption.
constexpr uint32_t kMaxCount = 1u << 24;

class Writer {
 public:
  void U32(uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void I32(int v) { U32(static_cast<uint32_t>(v)); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool U32(uint32_t* v) {
    if (in_.size() < sizeof *v) return false;
    std::memcpy(v, in_.data(), sizeof *v);
    in_.remove_prefix(sizeof *v);
    return true;
  }
  bool I32(int* v) {
    uint32_t u = 0;
    if (!U32(&u)) return false;
    *v = static_cast<int>(u);
    return true;
  }
  bool Str(std::string* s) {
    uint32_t n = 0;
    if (!U32(&n) || n > in_.size()) return false;
    s->assign(in_.substr(0, n));
    in_.remove_prefix(n);
    return true;
  }
  // An enum stored as u32, at most `last`.
  template <typename E>
  bool Enum(E last, E* v) {
    uint32_t u = 0;
    if (!U32(&u) || u > static_cast<uint32_t>(last)) return false;
    *v = static_cast<E>(u);
    return true;
  }
  bool Count(uint32_t* n) { return U32(n) && *n <= kMaxCount && *n <= in_.size(); }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

void EncodeFinding(const rules::Finding& f, Writer* w) {
  w->Str(f.rule_id);
  w->U32(static_cast<uint32_t>(f.category));
  w->U32(static_cast<uint32_t>(f.severity));
  w->Str(f.path);
  w->I32(f.line), w->I32(f.column), w->I32(f.end_line), w->I32(f.end_column);
  w->Str(f.message);
  w->Str(f.snippet);
}

bool DecodeFinding(Reader* r, rules::Finding* f) {
  return r->Str(&f->rule_id) && r->Enum(rules::Category::kEnvironment, &f->category) &&
         r->Enum(rules::Severity::kError, &f->severity) && r->Str(&f->path) && r->I32(&f->line) &&
         r->I32(&f->column) && r->I32(&f->end_line) && r->I32(&f->end_column) &&
         r->Str(&f->message) && r->Str(&f->snippet);
}

bool DecodeFile(Reader* r, rules::FileResult* file) {
  uint32_t notes = 0;
  if (!r->Str(&file->path) || !r->Enum(rules::Language::kPython, &file->language) ||
      !r->Enum(rules::FileStatus::kSkipped, &file->status) || !r->Str(&file->error) ||
      !r->Count(&notes)) {
    return false;
  }
  file->notes.resize(notes);
  for (std::string& note : file->notes) {
    if (!r->Str(&note)) return false;
  }
  return true;
}

}  // namespace

std::string EncodeOutcome(const FileOutcome& outcome) {
  Writer w;
  w.U32(kMagic);
  w.U32((outcome.analyzed ? 1u : 0u) | (outcome.internal_error ? 2u : 0u));
  const rules::FileResult& file = outcome.output.file;
  w.Str(file.path);
  w.U32(static_cast<uint32_t>(file.language));
  w.U32(static_cast<uint32_t>(file.status));
  w.Str(file.error);
  w.U32(static_cast<uint32_t>(file.notes.size()));
  for (const std::string& note : file.notes) w.Str(note);
  w.U32(static_cast<uint32_t>(outcome.output.findings.size()));
  for (const rules::Finding& f : outcome.output.findings) EncodeFinding(f, &w);
  return w.Take();
}

bool DecodeOutcome(std::string_view bytes, FileOutcome* out) {
  Reader r(bytes);
  uint32_t magic = 0, flags = 0, findings = 0;
  if (!r.U32(&magic) || magic != kMagic || !r.U32(&flags) || flags > 3) return false;
  out->analyzed = flags & 1u;
  out->internal_error = flags & 2u;
  if (!DecodeFile(&r, &out->output.file) || !r.Count(&findings)) return false;
  out->output.findings.resize(findings);
  for (rules::Finding& f : out->output.findings) {
    if (!DecodeFinding(&r, &f)) return false;
  }
  return r.done();
}

}  // namespace referee::analyzers
