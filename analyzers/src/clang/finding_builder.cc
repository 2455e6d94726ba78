#include "clang/finding_builder.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

namespace referee::analyzers::clang_internal {

clang::SourceRange ReportRange(const clang::DynTypedNode& node) {
  if (const auto* named = node.get<clang::NamedDecl>()) {
    if (named->getLocation().isValid()) {
      return clang::SourceRange(named->getLocation(), named->getLocation());
    }
  }
  return node.getSourceRange();
}

void FindingSink::Add(const rules::Rule& rule, const clang::DynTypedNode& node,
                      const clang::ASTContext& ctx) {
  Add(rule, ReportRange(node), ctx);
}

void FindingSink::Add(const rules::Rule& rule, clang::SourceRange range,
                      const clang::ASTContext& ctx, const std::string& message) {
  const clang::SourceManager& sm = ctx.getSourceManager();
  clang::SourceLocation begin = sm.getExpansionLoc(range.getBegin());
  if (begin.isInvalid() || !sm.isWrittenInMainFile(begin)) return;
  clang::SourceLocation end = sm.getExpansionLoc(range.getEnd());
  if (end.isInvalid() || sm.getFileID(end) != sm.getFileID(begin)) end = begin;
  unsigned end_len = clang::Lexer::MeasureTokenLength(end, sm, ctx.getLangOpts());
  rules::Finding f;
  f.rule_id = rule.id;
  f.category = rule.category;
  f.severity = rule.severity;
  f.path = display_path_;
  f.line = static_cast<int>(sm.getSpellingLineNumber(begin));
  f.column = static_cast<int>(sm.getSpellingColumnNumber(begin));
  f.end_line = static_cast<int>(sm.getSpellingLineNumber(end));
  f.end_column = static_cast<int>(sm.getSpellingColumnNumber(end) + end_len);
  if (f.end_line < f.line || (f.end_line == f.line && f.end_column <= f.column)) {
    f.end_line = f.line;
    f.end_column = f.column + 1;
  }
  f.message = message.empty() ? rule.message : message;
  f.snippet = LineText(f.line);
  findings_.push_back(std::move(f));
}

std::string FindingSink::LineText(int line) const {
  if (content_ == nullptr || line < 1) return "";
  size_t pos = 0;
  for (int l = 1; l < line; ++l) {
    pos = content_->find('\n', pos);
    if (pos == std::string::npos) return "";
    ++pos;
  }
  size_t end = content_->find('\n', pos);
  std::string text = content_->substr(pos, end == std::string::npos ? end : end - pos);
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

}  // namespace referee::analyzers::clang_internal
