#include "clang/matcher_rules.h"

#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/Dynamic/Diagnostics.h"
#include "clang/ASTMatchers/Dynamic/Parser.h"
#include "clang/checks/check_util.h"
#include "referee/base/strings.h"

namespace referee::analyzers::clang_internal {

namespace dyn = clang::ast_matchers::dynamic;

namespace {

// The parser's first error as (line, column, message) relative to the parsed text.
struct ParseError {
  int line = 1;
  int col = 1;
  std::string message;
};

ParseError FirstError(const dyn::Diagnostics& diag) {
  ParseError out;
  out.message = diag.toString();
  llvm::ArrayRef<dyn::Diagnostics::ErrorContent> errors = diag.errors();
  if (!errors.empty() && !errors.front().Messages.empty()) {
    // The innermost message is the most specific one ("Matcher not found: hasNam").
    const auto& message = errors.front().Messages.back();
    out.line = static_cast<int>(message.Range.Start.Line);
    out.col = static_cast<int>(message.Range.Start.Column);
  }
  // toString() prefixes each line with "L:C: "; keep the last, most specific line.
  std::string text = out.message;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  size_t nl = text.rfind('\n');
  if (nl != std::string::npos) text = text.substr(nl + 1);
  size_t colon = text.find(": ");
  if (colon != std::string::npos && colon < 12) text = text.substr(colon + 2);
  out.message = text;
  return out;
}

Status RuleError(const rules::Rule& rule, int line, int col, const std::string& message) {
  SourceLoc loc;
  loc.file = rule.source_path;
  loc.line = rule.pattern_pos.line + line - 1;
  loc.col = line == 1 ? rule.pattern_pos.col + col - 1 : rule.pattern_pos.col + col - 1;
  if (rule.pattern_pos.line == 0) {
    loc.line = 0;
    loc.col = 0;
  }
  return InvalidArgumentError(message + " [" + rule.id + "]", loc);
}

std::set<std::string> SplitAllowList(const rules::Rule& rule) {
  std::set<std::string> out;
  auto it = rule.options.find("allow");
  if (it == rule.options.end()) return out;
  for (std::string item : StrSplit(it->second, ',')) {
    size_t b = item.find_first_not_of(" \t\n");
    size_t e = item.find_last_not_of(" \t\n");
    if (b == std::string::npos) continue;
    item = item.substr(b, e - b + 1);
    if (item.rfind("::", 0) == 0) item = item.substr(2);
    out.insert(item);
  }
  return out;
}

}  // namespace

Expected<CompiledMatcherRule> CompileMatcherRule(const rules::Rule& rule) {
  dyn::Parser::NamedValueMap named;
  for (const auto& [name, text] : rule.let) {
    dyn::Diagnostics diag;
    dyn::VariantValue value;
    llvm::StringRef code(text);
    if (!dyn::Parser::parseExpression(code, nullptr, &named, &value, &diag)) {
      ParseError e = FirstError(diag);
      return RuleError(rule, e.line, e.col, "in let '" + name + "': " + e.message);
    }
    named[name] = value;
  }
  dyn::Diagnostics diag;
  llvm::StringRef code(rule.matcher);
  std::optional<clang::ast_matchers::internal::DynTypedMatcher> matcher =
      dyn::Parser::parseMatcherExpression(code, nullptr, &named, &diag);
  if (!matcher) {
    ParseError e = FirstError(diag);
    return RuleError(rule, e.line, e.col, e.message);
  }
  if (!code.trim().empty()) {
    return RuleError(rule, 1, 1, "unexpected text after the matcher: '" + code.trim().str() + "'");
  }
  std::optional<clang::ast_matchers::internal::DynTypedMatcher> bound = matcher->tryBind("root");
  if (!bound) {
    return RuleError(rule, 1, 1,
                     "the matcher is not a node matcher (it cannot be bound or matched at the "
                     "top level)");
  }
  clang::ast_matchers::MatchFinder probe;
  if (!probe.addDynamicMatcher(*bound, nullptr)) {
    return RuleError(rule, 1, 1, "not a valid top-level matcher");
  }
  CompiledMatcherRule out;
  out.id = rule.id;
  out.matcher = *bound;
  out.bind = rule.bind.empty() ? "root" : rule.bind;
  out.allowed_callees = SplitAllowList(rule);
  return out;
}

void MatcherRuleCallback::run(const clang::ast_matchers::MatchFinder::MatchResult& result) {
  const auto& map = result.Nodes.getMap();
  auto it = map.find(compiled_->bind);
  if (it == map.end()) it = map.find("root");
  if (it == map.end()) return;
  if (!compiled_->allowed_callees.empty()) {
    // A match is allowed when its reported node (or the root) calls an allowed function.
    for (const char* key : {compiled_->bind.c_str(), "root"}) {
      auto node = map.find(key);
      if (node == map.end()) continue;
      const auto* call = node->second.get<clang::CallExpr>();
      if (call != nullptr &&
          compiled_->allowed_callees.count(CalleeQualifiedName(call)) > 0) {
        return;
      }
    }
  }
  sink_->Add(*rule_, it->second, *result.Context);
}

}  // namespace referee::analyzers::clang_internal
