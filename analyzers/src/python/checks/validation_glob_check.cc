// validation-glob-match: training code lists data files with a glob that also matches the pinned
// validation file, and nothing in the same function keeps that file out (training-hacks.md §7 D3;
// nanochat #541: the validation shard is the last shard of the dataset, so `shard_*.parquet`
// trains on it). The pattern is folded through os.path.join, f-strings and names bound to them
// (non-constant parts match anything); the validation file names are the literal tokens of the
// config's validation_data patterns (shard_06542, fineweb_val_). A comparison or filter that
// names validation data in the same function (`!= VAL_FILENAME`, `"val" not in`, `.remove(...)`)
// is an exclusion and the glob is not flagged.
#include <cctype>
#include <regex>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

// A glob's last path component as an anchored regex ({} from folding matches anything).
std::regex GlobRegex(std::string_view glob) {
  size_t slash = glob.rfind('/');
  if (slash != std::string_view::npos) glob = glob.substr(slash + 1);
  std::string re = "^";
  for (size_t i = 0; i < glob.size(); ++i) {
    char c = glob[i];
    if (c == '*') {
      re += "[^/]*";
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '{' && i + 1 < glob.size() && glob[i + 1] == '}') {
      re += ".*";
      ++i;
    } else if (c == '[') {
      size_t end = glob.find(']', i);
      if (end == std::string_view::npos) {
        re += "\\[";
      } else {
        re += std::string(glob.substr(i, end - i + 1));
        i = end;
      }
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
      re += c;
    } else {
      re += '\\';
      re += c;
    }
  }
  return std::regex(re + "$");
}

// Literal file-name tokens in the config's validation patterns: "shard_06542", "fineweb_val_".
std::vector<std::string> ValidationTokens(const std::vector<std::string>& patterns) {
  std::vector<std::string> out;
  for (const std::string& p : patterns) {
    std::string token;
    for (char c : p) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') {
        token += c;
      } else if (c != '^' && c != '$') {
        token.clear();
        break;
      }
    }
    // A file name, not a variable name: it has a digit or ends in a separator.
    if (token.size() >= 4 && (token.find_first_of("0123456789") != std::string::npos ||
                              token.back() == '_')) {
      out.push_back(token);
    }
  }
  return out;
}

class ValidationGlobCheck final : public PythonCheck {
 public:
  const char* name() const override { return "validation-glob-match"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    std::vector<std::string> tokens = ValidationTokens(ctx.config().validation_data);
    if (tokens.empty()) return hits;
    std::string_view src = ctx.source();
    for (size_t ci = 0; ci < ctx.index().calls().size(); ++ci) {
      TSNode call = ctx.index().calls()[ci];
      std::string_view last = CallName(call, src);
      if (last != "glob" && last != "iglob" && last != "rglob") continue;
      TSNode pattern_node = PositionalArg(call, 0);
      std::optional<std::string> pattern = ctx.values().StringShape(pattern_node);
      if (!pattern || pattern->find_first_of("*?[") == std::string::npos) continue;
      if (!ctx.submission().InScope(call)) continue;
      if (InsideFunction(call, src, ctx.config().evaluators) && !ctx.config().evaluators.empty()) {
        continue;
      }
      std::regex re = GlobRegex(*pattern);
      std::string matched;
      for (const std::string& t : tokens) {
        for (const char* suffix : {"", ".parquet", ".bin", "000000.bin", ".pt", ".npy", ".txt"}) {
          if (std::regex_match(t + suffix, re)) matched = t + suffix;
        }
      }
      if (matched.empty() || ExcludesValidation(ctx, call)) continue;
      hits.push_back({call, "the pattern '" + *pattern + "' also matches " + matched});
    }
    return hits;
  }

 private:
  // Something in the call's function (or module-level code) names validation data in a
  // comparison or a removal.
  static bool ExcludesValidation(const FileContext& ctx, TSNode call) {
    TSNode fn = EnclosingFunction(call);
    TSNode scope = ts_node_is_null(fn) ? ctx.index().root() : fn;
    std::string_view src = ctx.source();
    bool found = false;
    Walk(scope, [&](TSNode n) {
      if (found) return false;
      if (Is(n, "comparison_operator")) {
        std::string_view text = NodeText(n, src);
        if (text.find("!=") == std::string_view::npos &&
            text.find("not in") == std::string_view::npos) {
          return true;
        }
        Walk(n, [&](TSNode m) {
          if (!found && (Is(m, "identifier") || Is(m, "string") || Is(m, "attribute")) &&
              ctx.IsValidationData(m)) {
            found = true;
          }
          return !found;
        });
      }
      return !found;
    });
    return found;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeValidationGlobCheck() {
  return std::make_unique<ValidationGlobCheck>();
}

}  // namespace referee::analyzers::python
