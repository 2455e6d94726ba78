#include "referee/harness/expr.h"

#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "referee/base/strings.h"
#include "task/task_internal.h"

namespace referee::harness {
namespace {

// Parentheses, calls and unary operators each recurse; past this depth the expression is an
// error rather than a stack overflow ('(' x 4,000 and '-' x 100,000 crashed the parent, issue 20).
constexpr int kMaxNesting = 200;

class Parser final {
 public:
  Parser(std::string_view text, const AxisValues& axes) : text_(text), axes_(axes) {}

  Expected<double> Parse() {
    Expected<double> v = Comparison();
    if (!v) return v;
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected '" + std::string(1, text_[pos_]) + "'");
    return v;
  }

 private:
  // The column is also the location's (with no file): the task reader adds it to where the
  // expression is written.
  Status Error(const std::string& what) const {
    std::string shown = Printable(text_);
    return InvalidArgumentError(
        StrFormat("expression '%s': %s at column %zu", shown.c_str(), what.c_str(), pos_ + 1),
        SourceLoc{"", 0, static_cast<int>(pos_ + 1)});
  }
  struct Nest {
    explicit Nest(int* depth) : depth_(depth) { ++*depth_; }
    ~Nest() { --*depth_; }
    int* depth_;
  };
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Eat(std::string_view token) {
    SkipSpace();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }

  Expected<double> Comparison() {
    Nest nest(&depth_);
    if (depth_ > kMaxNesting) return Error("nesting too deep");
    REFEREE_ASSIGN_OR_RETURN(double lhs, Sum());
    static const char* kOps[] = {"==", "!=", "<=", ">=", "<", ">"};
    for (const char* op : kOps) {
      if (!Eat(op)) continue;
      REFEREE_ASSIGN_OR_RETURN(double rhs, Sum());
      std::string o = op;
      bool r = o == "==" ? lhs == rhs : o == "!=" ? lhs != rhs : o == "<=" ? lhs <= rhs
             : o == ">=" ? lhs >= rhs : o == "<"  ? lhs < rhs  : lhs > rhs;
      return r ? 1.0 : 0.0;
    }
    return lhs;
  }

  Expected<double> Sum() {
    REFEREE_ASSIGN_OR_RETURN(double v, Product());
    while (true) {
      if (Eat("+")) {
        REFEREE_ASSIGN_OR_RETURN(double r, Product());
        v += r;
      } else if (Eat("-")) {
        REFEREE_ASSIGN_OR_RETURN(double r, Product());
        v -= r;
      } else {
        return v;
      }
    }
  }

  Expected<double> Product() {
    REFEREE_ASSIGN_OR_RETURN(double v, Unary());
    while (true) {
      SkipSpace();
      if (text_.substr(pos_, 2) == "**") return v;  // handled in Power
      if (Eat("//")) {
        REFEREE_ASSIGN_OR_RETURN(double r, Unary());
        if (r == 0) return Error("division by zero");
        v = std::floor(v / r);
      } else if (Eat("*")) {
        REFEREE_ASSIGN_OR_RETURN(double r, Unary());
        v *= r;
      } else if (Eat("/")) {
        REFEREE_ASSIGN_OR_RETURN(double r, Unary());
        if (r == 0) return Error("division by zero");
        v /= r;
      } else if (Eat("%")) {
        REFEREE_ASSIGN_OR_RETURN(double r, Unary());
        if (r == 0) return Error("division by zero");
        v = std::fmod(v, r);
      } else {
        return v;
      }
    }
  }

  Expected<double> Unary() {
    if (!Eat("-") && !Eat("+")) return Power();
    bool negate = text_[pos_ - 1] == '-';
    Nest nest(&depth_);
    if (depth_ > kMaxNesting) return Error("nesting too deep");
    REFEREE_ASSIGN_OR_RETURN(double v, Unary());
    return negate ? -v : v;
  }

  Expected<double> Power() {
    REFEREE_ASSIGN_OR_RETURN(double base, Primary());
    if (Eat("**") || Eat("^")) {
      REFEREE_ASSIGN_OR_RETURN(double e, Unary());
      return std::pow(base, e);
    }
    return base;
  }

  Expected<double> Call(const std::string& name) {
    std::vector<double> args;
    if (!Eat(")")) {
      while (true) {
        REFEREE_ASSIGN_OR_RETURN(double a, Comparison());
        args.push_back(a);
        if (Eat(")")) break;
        if (!Eat(",")) return Error("expected ',' or ')'");
      }
    }
    auto unary = [&](double (*f)(double)) -> Expected<double> {
      if (args.size() != 1) return Error(name + "() takes one argument");
      return f(args[0]);
    };
    if (name == "min" || name == "max") {
      if (args.empty()) return Error(name + "() needs arguments");
      double v = args[0];
      for (double a : args) v = name == "min" ? std::min(v, a) : std::max(v, a);
      return v;
    }
    if (name == "ceil") return unary([](double x) { return std::ceil(x); });
    if (name == "floor") return unary([](double x) { return std::floor(x); });
    if (name == "sqrt") return unary([](double x) { return std::sqrt(x); });
    if (name == "log2") return unary([](double x) { return std::log2(x); });
    if (name == "abs") return unary([](double x) { return std::fabs(x); });
    return Error("unknown function '" + name + "'");
  }

  Expected<double> Primary() {
    SkipSpace();
    if (pos_ >= text_.size()) return Error("unexpected end");
    char c = text_[pos_];
    if (Eat("(")) {
      REFEREE_ASSIGN_OR_RETURN(double v, Comparison());
      if (!Eat(")")) return Error("expected ')'");
      return v;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      size_t start = pos_;
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
              ((text_[pos_] == '-' || text_[pos_] == '+') &&
               (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E')))) {
        ++pos_;
      }
      std::string num(text_.substr(start, pos_ - start));
      char* end = nullptr;
      double v = std::strtod(num.c_str(), &end);
      if (end != num.c_str() + num.size()) return Error("bad number '" + num + "'");
      return v;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = pos_;
      while (pos_ < text_.size() &&
             (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_')) {
        ++pos_;
      }
      std::string name(text_.substr(start, pos_ - start));
      if (Eat("(")) return Call(name);
      auto it = axes_.find(name);
      if (it == axes_.end()) {
        pos_ = start;
        return Error("unknown axis '" + name + "'");
      }
      return it->second;
    }
    return Error("unexpected '" + std::string(1, c) + "'");
  }

  std::string_view text_;
  const AxisValues& axes_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Expected<double> EvalExpr(std::string_view text, const AxisValues& axes) {
  return Parser(text, axes).Parse();
}

Expected<long long> EvalIntExpr(std::string_view text, const AxisValues& axes) {
  REFEREE_ASSIGN_OR_RETURN(double v, EvalExpr(text, axes));
  if (!std::isfinite(v) || v < 0 || v != std::floor(v) || v > 9e15) {
    return InvalidArgumentError(StrFormat("expression '%s' = %g is not a non-negative integer",
                                          Printable(text).c_str(), v));
  }
  return static_cast<long long>(v);
}

}  // namespace referee::harness
