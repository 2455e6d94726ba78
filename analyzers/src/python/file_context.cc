#include "python/file_context.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

namespace referee::analyzers::python {

namespace {

// Compiling the config's patterns (std::regex::optimize) costs more than auditing a small file,
// so they are compiled once per distinct pattern list and shared by every file and thread.
std::shared_ptr<const std::vector<FastRegex>> CompiledPatterns(
    const std::vector<std::string>& patterns) {
  static std::mutex mu;
  static auto* cache = new std::map<std::vector<std::string>,
                                    std::shared_ptr<const std::vector<FastRegex>>>;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(patterns);
  if (it != cache->end()) return it->second;
  auto compiled = std::make_shared<std::vector<FastRegex>>();
  for (const std::string& p : patterns) {
    try {
      compiled->emplace_back(p);
    } catch (const std::regex_error&) {
      // A bad pattern in referee.yaml matches nothing; ParseAuditConfig validates them.
    }
  }
  (*cache)[patterns] = compiled;
  return compiled;
}

}  // namespace

const std::vector<FastRegex>& FileContext::validation_patterns() const {
  if (!validation_patterns_) validation_patterns_ = CompiledPatterns(config_.validation_data);
  return *validation_patterns_;
}

bool FileContext::IsValidationData(TSNode n) const {
  std::string text;
  if (Is(n, "string")) {
    if (ts_node_named_child_count(n) < 2) return false;
    TSNode start = ts_node_named_child(n, 0);
    TSNode end = ts_node_named_child(n, ts_node_named_child_count(n) - 1);
    uint32_t b = ts_node_end_byte(start), e = ts_node_start_byte(end);
    if (e < b) return false;
    text = std::string(source().substr(b, e - b));
  } else if (Is(n, "attribute")) {
    text = std::string(NodeText(Field(n, "attribute"), source()));
  } else if (Is(n, "identifier")) {
    text = std::string(NodeText(n, source()));
  } else {
    return false;
  }
  for (const FastRegex& re : validation_patterns()) {
    if (re.Search(text)) return true;
  }
  return false;
}

namespace {

uint64_t NodeKey(TSNode n) {
  return (uint64_t{ts_node_start_byte(n)} << 32) ^ ts_node_end_byte(n) ^
         (uint64_t{ts_node_symbol(n)} << 48);
}

}  // namespace

const std::vector<std::string>* FileContext::FindLocalNames(TSNode fn) const {
  auto it = local_names_.find(NodeKey(fn));
  return it == local_names_.end() ? nullptr : &it->second;
}

const std::vector<std::string>& FileContext::StoreLocalNames(TSNode fn,
                                                            std::vector<std::string> names) const {
  return local_names_.insert_or_assign(NodeKey(fn), std::move(names)).first->second;
}

const std::string& FileContext::Resolve(TSNode n) const {
  uint64_t key = NodeKey(n);
  auto it = resolved_.find(key);
  if (it != resolved_.end()) return it->second;
  return resolved_.emplace(key, values().Resolve(n)).first->second;
}

const std::vector<std::string>& FileContext::ResolveAll(TSNode n) const {
  uint64_t key = NodeKey(n);
  auto it = resolved_all_.find(key);
  if (it != resolved_all_.end()) return it->second;
  return resolved_all_.emplace(key, values().ResolveAll(n)).first->second;
}

const ValueResolver& FileContext::values() const {
  if (!values_) values_.emplace(index_);
  return *values_;
}

bool FileContext::CachedSearch(const void* key, const FastRegex& re,
                               const std::string& text) const {
  if (!re.MayMatch(text)) return false;
  // A 64-bit hash of (predicate, text) keys the memo without copying the text.
  uint64_t k = std::hash<std::string_view>()(text) ^
               (reinterpret_cast<uintptr_t>(key) * 0x9e3779b97f4a7c15ULL);
  auto it = searches_.find(k);
  if (it != searches_.end()) return it->second;
  bool found = re.SearchUnfiltered(text);
  searches_.emplace(k, found);
  return found;
}

bool FileContext::SourceMayMatch(const void* key, const FastRegex& re) const {
  auto it = source_may_match_.find(key);
  if (it != source_may_match_.end()) return it->second;
  return source_may_match_.emplace(key, re.MayMatch(source())).first->second;
}

bool FileContext::UsesEvaluator() const {
  if (uses_evaluator_) return *uses_evaluator_;
  bool uses = false;
  for (size_t ci = 0; ci < index_.calls().size(); ++ci) {
    TSNode call = index_.calls()[ci];
    if (uses) break;
    bool candidate = false;
    for (const std::string& e : config_.evaluators) {
      candidate = candidate || index_.CalleeMayEndWith(ci, LastComponent(e));
    }
    if (candidate) {
      uses = NameOrSuffixInList(config_.evaluators, index_.Resolve(Field(call, "function")));
    }
  }
  for (const std::string& m : config_.fixed_modules) uses = uses || index_.Imports(m);
  uses_evaluator_ = uses;
  return uses;
}

const SubmissionModel& FileContext::submission() const {
  if (!submission_) submission_.emplace(index_, config_, UsesEvaluator() || timers().has_timer());
  return *submission_;
}

bool FileContext::IsKernelSubmission() const {
  return submission().context() == rules::Context::kKernel;
}

bool IsFixedModuleName(const AuditConfig& config, const std::string& resolved) {
  for (const std::string& m : config.fixed_modules) {
    if (resolved == m || (resolved.size() > m.size() && resolved.compare(0, m.size(), m) == 0 &&
                          resolved[m.size()] == '.')) {
      return true;
    }
  }
  return false;
}

bool NameInList(const std::vector<std::string>& list, const std::string& resolved) {
  return std::find(list.begin(), list.end(), resolved) != list.end();
}

bool NameOrSuffixInList(const std::vector<std::string>& list, const std::string& resolved) {
  for (const std::string& name : list) {
    if (resolved == name) return true;
    if (resolved.size() > name.size() &&
        resolved.compare(resolved.size() - name.size(), name.size(), name) == 0 &&
        resolved[resolved.size() - name.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

}  // namespace referee::analyzers::python
