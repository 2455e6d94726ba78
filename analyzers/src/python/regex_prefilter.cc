#include "python/regex_prefilter.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace referee::analyzers::python {
namespace {

// Sets of literals are kept small: a larger one is dropped (no constraint),
// never truncated.
constexpr size_t kMaxStrings = 32;

using Set = std::optional<std::vector<std::string>>;

// What a regex node can match: `exact` lists every string it matches (when
// finite and small); `required` lists literals one of which every match
// contains.
struct Info {
  Set exact;
  Set required;
};

Info Literal(std::string s) { return {std::vector<std::string>{std::move(s)}, std::nullopt}; }
Info Empty() { return Literal(""); }
Info Any() { return {}; }

const Set& Effective(const Info& i) { return i.exact ? i.exact : i.required; }

bool Useful(const Set& s) {
  return s && !s->empty() &&
         std::none_of(s->begin(), s->end(), [](const std::string& x) { return x.empty(); });
}

size_t MinLength(const std::vector<std::string>& s) {
  size_t m = SIZE_MAX;
  for (const std::string& x : s) m = std::min(m, x.size());
  return m;
}

// Keeps the more selective of two constraints: longer shortest literal, then
// fewer literals.
void Consider(const Set& candidate, Set* best) {
  if (!Useful(candidate)) return;
  if (!*best || MinLength(*candidate) > MinLength(**best) ||
      (MinLength(*candidate) == MinLength(**best) && candidate->size() < (*best)->size())) {
    *best = candidate;
  }
}

Set Cross(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.size() * b.size() > kMaxStrings) return std::nullopt;
  std::vector<std::string> out;
  for (const std::string& x : a) {
    for (const std::string& y : b) out.push_back(x + y);
  }
  return out;
}

Set Union(Set a, const Set& b) {
  if (!a || !b || a->size() + b->size() > kMaxStrings) return std::nullopt;
  for (const std::string& x : *b) {
    if (std::find(a->begin(), a->end(), x) == a->end()) a->push_back(x);
  }
  return a;
}

// Recursive descent over the ECMAScript syntax std::regex accepts. Anything it
// does not know sets ok_ = false and the whole pattern gets no prefilter.
class Analyzer {
 public:
  explicit Analyzer(std::string_view p) : p_(p) {}

  std::vector<std::string> Run() {
    Info root = Alternation();
    if (!ok_ || i_ != p_.size() || !Useful(Effective(root))) return {};
    return *Effective(root);
  }

 private:
  bool AtEnd() const { return i_ >= p_.size(); }
  void Fail() { ok_ = false, i_ = p_.size(); }

  Info Alternation() {
    Info out = Sequence();
    while (ok_ && !AtEnd() && p_[i_] == '|') {
      ++i_;
      Info next = Sequence();
      const Set& a = Effective(out);
      const Set& b = Effective(next);
      Info merged;
      merged.exact = out.exact && next.exact ? Union(out.exact, next.exact) : std::nullopt;
      merged.required = Useful(a) && Useful(b) ? Union(a, b) : std::nullopt;
      out = std::move(merged);
    }
    return out;
  }

  Info Sequence() {
    std::vector<std::string> product = {""};
    bool all_exact = true;
    Set best;
    while (ok_ && !AtEnd() && p_[i_] != '|' && p_[i_] != ')') {
      Info item = Quantified();
      Set crossed = item.exact ? Cross(product, *item.exact) : std::nullopt;
      if (crossed) {
        product = std::move(*crossed);
        continue;
      }
      all_exact = false;
      Consider(product, &best);
      product = {""};
      if (item.exact && item.exact->size() <= kMaxStrings) {
        product = *item.exact;
      } else {
        Consider(item.required, &best);
      }
    }
    Consider(product, &best);
    Info out;
    if (all_exact) out.exact = product;
    out.required = best;
    return out;
  }

  Info Quantified() {
    Info atom = Atom();
    if (!ok_ || AtEnd()) return atom;
    int min = -1;  // -1: no quantifier
    bool at_most_one = false;
    char c = p_[i_];
    if (c == '*') min = 0, ++i_;
    if (c == '+') min = 1, ++i_;
    if (c == '?') min = 0, at_most_one = true, ++i_;
    if (c == '{' && !Braces(&min, &at_most_one)) return Any();
    if (min < 0) return atom;
    if (!AtEnd() && p_[i_] == '?') ++i_;  // lazy
    if (min == 0) {
      return at_most_one && atom.exact ? Info{Union(atom.exact, std::vector<std::string>{""}), {}}
                                       : Any();
    }
    if (at_most_one) return atom;  // {1} or {1,1}
    Info out;
    if (Useful(Effective(atom))) out.required = Effective(atom);
    return out;
  }

  // {n}, {n,}, {n,m}; false (and ok_ = false) when malformed.
  bool Braces(int* min, bool* at_most_one) {
    size_t close = p_.find('}', i_);
    if (close == std::string_view::npos) return Fail(), false;
    std::string_view body = p_.substr(i_ + 1, close - i_ - 1);
    size_t comma = body.find(',');
    std::string_view lo = body.substr(0, comma);
    if (lo.empty() || lo.size() > 6 ||
        !std::all_of(lo.begin(), lo.end(), [](char d) { return std::isdigit(d) != 0; })) {
      return Fail(), false;
    }
    *min = std::stoi(std::string(lo));
    *at_most_one = comma == std::string_view::npos
                       ? *min <= 1
                       : body.substr(comma + 1) == "1" || body.substr(comma + 1) == "0";
    i_ = close + 1;
    return true;
  }

  Info Atom() {
    char c = p_[i_++];
    switch (c) {
      case '^':
      case '$':
        return Empty();
      case '.':
        return Any();
      case '(':
        return Group();
      case '[':
        return Class();
      case '\\':
        return Escape();
      case '*':
      case '+':
      case '?':
      case '{':
      case ')':
        Fail();
        return Any();
      default:
        return Literal(std::string(1, c));
    }
  }

  Info Group() {
    bool lookahead = false;
    if (!AtEnd() && p_[i_] == '?') {
      if (i_ + 1 >= p_.size()) return Fail(), Any();
      char kind = p_[i_ + 1];
      if (kind != ':' && kind != '=' && kind != '!') return Fail(), Any();
      lookahead = kind != ':';
      i_ += 2;
    }
    Info inner = Alternation();
    if (AtEnd() || p_[i_] != ')') return Fail(), Any();
    ++i_;
    return lookahead ? Empty() : inner;  // a lookahead consumes nothing
  }

  Info Class() {
    if (!AtEnd() && p_[i_] == '^') ++i_;
    while (!AtEnd() && p_[i_] != ']') i_ += p_[i_] == '\\' ? 2 : 1;
    if (AtEnd()) return Fail(), Any();
    ++i_;
    return Any();
  }

  Info Escape() {
    if (AtEnd()) return Fail(), Any();
    char c = p_[i_++];
    if (c == 'b' || c == 'B') return Empty();
    if (c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S') return Any();
    if (std::isalnum(static_cast<unsigned char>(c))) return Fail(), Any();  // \x41, \1, \n...
    return Literal(std::string(1, c));
  }

  std::string_view p_;
  size_t i_ = 0;
  bool ok_ = true;
};

}  // namespace

RegexPrefilter::RegexPrefilter(std::string_view pattern) : literals_(Analyzer(pattern).Run()) {}

bool RegexPrefilter::MayMatch(std::string_view text) const {
  if (literals_.empty()) return true;
  for (const std::string& l : literals_) {
    if (text.find(l) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace referee::analyzers::python
