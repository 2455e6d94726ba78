#include "python/ts_util.h"

#include <algorithm>
#include <array>
#include <unordered_map>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace referee::analyzers::python {

const TSLanguage* PythonLanguage() { return tree_sitter_python(); }

TreePtr ParsePython(std::string_view source, uint64_t timeout_micros) {
  // A parser is cheap to keep per thread: one parse per file (issue #4,
  // performance).
  thread_local ParserPtr parser = [] {
    ParserPtr p(ts_parser_new());
    ts_parser_set_language(p.get(), PythonLanguage());
    return p;
  }();
  // tree-sitter offsets are 32-bit.
  if (source.size() >= UINT32_MAX) return nullptr;
  ts_parser_set_timeout_micros(parser.get(), timeout_micros);
  TreePtr tree(ts_parser_parse_string(parser.get(), nullptr, source.data(),
                                      static_cast<uint32_t>(source.size())));
  // A parse stopped by the timeout would otherwise resume on the next call.
  if (!tree) ts_parser_reset(parser.get());
  return tree;
}

namespace {

// A per-thread map from the address of a type or field name to what it resolves to: a
// direct-mapped table in front of a hash map (two hot names sharing a slot cost a hash lookup,
// not a new resolution).
template <typename V>
class NameCache {
 public:
  template <typename Resolve>
  const V& Get(const char* name, Resolve&& resolve) {
    uintptr_t a = reinterpret_cast<uintptr_t>(name);
    Slot& slot = slots_[((a >> 3) ^ (a >> 11)) & (kSlots - 1)];
    if (slot.name == name) return slot.value;
    auto it = all_.find(name);
    if (it == all_.end()) it = all_.emplace(name, resolve(name)).first;
    slot.name = name;
    slot.value = it->second;
    return slot.value;
  }

 private:
  static constexpr size_t kSlots = 256;
  struct Slot {
    const char* name = nullptr;
    V value{};
  };
  Slot slots_[kSlots];
  std::unordered_map<const char*, V> all_;
};

// The Python grammar's symbols (SYMBOL_COUNT + ALIAS_COUNT = 275) fit these bits; ERROR and
// _ERROR (the builtin symbols 65535 and 65534) are tested by name.
constexpr size_t kSymbolWords = 8;
using SymbolSet = std::array<uint64_t, kSymbolWords>;

SymbolSet SymbolsNamed(const char* type) {
  const TSLanguage* lang = PythonLanguage();
  SymbolSet set{};
  uint32_t count = std::min<uint32_t>(ts_language_symbol_count(lang), kSymbolWords * 64);
  for (uint32_t s = 0; s < count; ++s) {
    const char* name = ts_language_symbol_name(lang, static_cast<TSSymbol>(s));
    if (name != nullptr && std::strcmp(name, type) == 0) set[s / 64] |= uint64_t{1} << (s % 64);
  }
  return set;
}

}  // namespace

bool SymbolIsType(TSSymbol symbol, const char* type) {
  if (symbol >= kSymbolWords * 64) {
    const char* name = ts_language_symbol_name(PythonLanguage(), symbol);
    return name != nullptr && std::strcmp(name, type) == 0;
  }
  thread_local NameCache<SymbolSet> cache;
  const SymbolSet& set = cache.Get(type, SymbolsNamed);
  return (set[symbol / 64] >> (symbol % 64)) & 1;
}

TSFieldId FieldId(const char* name) {
  thread_local NameCache<TSFieldId> cache;
  return cache.Get(name, [](const char* n) {
    return ts_language_field_id_for_name(PythonLanguage(), n, static_cast<uint32_t>(std::strlen(n)));
  });
}

namespace {

// The parents of the current tree: node -> index into `nodes` (0: the null node). Nodes have
// far fewer distinct parents than there are nodes, and a 32-byte TSNode per hash slot made the
// table of a large file tens of MiB.
struct ParentCache {
  const TSTree* tree = nullptr;
  NodeMemo<uint32_t> parents;
  std::vector<TSNode> nodes{TSNode{}};
  bool walked = false;  // `parents` holds every named node of `tree` with a width
  uint64_t generation = 0;

  void Clear(const TSTree* t) {
    tree = t;
    parents.Clear();
    nodes.assign(1, TSNode{});
    walked = false;
  }
  uint32_t Add(TSNode n) {
    nodes.push_back(n);
    return static_cast<uint32_t>(nodes.size() - 1);
  }
};
thread_local ParentCache parent_cache;

// ts_node_parent finds the parent by descending through the children whose byte range covers the
// node's: for a node with a width that is exactly its parent in the cursor's walk (both see the
// visible nodes only). A zero-width node (a MISSING one) can be taken for part of a sibling that
// ends where it is, so those are left to ts_node_parent; so are the anonymous tokens (`(`, `,`),
// a third of the nodes, whose parents are rarely asked for.
bool Recorded(TSNode n) { return ts_node_is_named(n) && ts_node_start_byte(n) != ts_node_end_byte(n); }

void MemoizeAllParents(const TSTree* tree, ParentCache* cache) {
  TSNode root = ts_tree_root_node(tree);
  cache->parents.Reserve(ts_node_end_byte(root) / 4);  // about a named node per 4 to 5 bytes
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  struct Step {
    TSNode node;
    uint32_t index;  // in cache->nodes once the node is some node's parent; 0 before
  };
  std::vector<Step> path{{root, 0}};  // the current node and its ancestors
  if (Recorded(root)) cache->parents.Insert(root, 0);
  while (true) {
    if (!ts_tree_cursor_goto_first_child(&cursor)) {
      bool done = false;
      while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
        if (!ts_tree_cursor_goto_parent(&cursor)) {
          done = true;
          break;
        }
        path.pop_back();
      }
      if (done) break;
      path.pop_back();  // the sibling takes the place of the node left
    }
    TSNode n = ts_tree_cursor_current_node(&cursor);
    if (Recorded(n)) {
      Step& parent = path.back();
      if (parent.index == 0) parent.index = cache->Add(parent.node);
      cache->parents.Insert(n, parent.index);
    }
    path.push_back({n, 0});
  }
  ts_tree_cursor_delete(&cursor);
}

}  // namespace

void ResetParentCache() {
  parent_cache.Clear(nullptr);
  ++parent_cache.generation;
}

uint64_t TreeGeneration() { return parent_cache.generation; }

TSNode Parent(TSNode n) {
  if (ts_node_is_null(n)) return n;
  ParentCache& cache = parent_cache;
  if (cache.tree != n.tree) cache.Clear(n.tree);
  if (const uint32_t* p = cache.parents.Find(n)) return cache.nodes[*p];
  if (!cache.walked) {
    cache.walked = true;
    MemoizeAllParents(n.tree, &cache);
    if (const uint32_t* p = cache.parents.Find(n)) return cache.nodes[*p];
  }
  TSNode p = ts_node_parent(n);
  cache.parents.Insert(n, ts_node_is_null(p) ? 0 : cache.Add(p));
  return p;
}

TSNode FirstErrorNode(TSNode root) {
  TSNode found{};
  bool have = false;
  Walk(root, [&](TSNode n) {
    if (have) return false;
    if (!ts_node_has_error(n)) return false;
    if (ts_node_is_missing(n) || Is(n, "ERROR")) {
      found = n;
      have = true;
      return false;
    }
    return true;
  });
  if (have || ts_node_is_null(root) || !ts_node_has_error(root)) return found;
  // A lone CR line ending (`import a\rb=1`) marks the root as having an error without a
  // visible ERROR node (issue 20): descend along the first child that has one.
  TSNode n = root;
  for (bool descended = true; descended;) {
    descended = false;
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count && !descended; ++i) {
      TSNode c = ts_node_child(n, i);
      if (ts_node_has_error(c)) n = c, descended = true;
    }
  }
  return n;
}

std::string LineText(std::string_view src, int line) {
  size_t pos = 0;
  for (int l = 1; l < line; ++l) {
    pos = src.find('\n', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  size_t end = src.find('\n', pos);
  std::string_view text =
      src.substr(pos, end == std::string_view::npos ? src.size() - pos : end - pos);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return std::string(text);
}

TSNode KeywordArg(TSNode call, std::string_view src, std::string_view name) {
  TSNode args = Field(call, "arguments");
  if (ts_node_is_null(args)) return {};
  uint32_t n = ts_node_named_child_count(args);
  for (uint32_t i = 0; i < n; ++i) {
    TSNode a = ts_node_named_child(args, i);
    if (Is(a, "keyword_argument") && NodeText(Field(a, "name"), src) == name) {
      return Field(a, "value");
    }
  }
  return {};
}

TSNode PositionalArg(TSNode call, int index) {
  TSNode args = Field(call, "arguments");
  if (ts_node_is_null(args) || !Is(args, "argument_list")) return {};
  uint32_t n = ts_node_named_child_count(args);
  int seen = 0;
  for (uint32_t i = 0; i < n; ++i) {
    TSNode a = ts_node_named_child(args, i);
    if (Is(a, "comment")) continue;
    if (Is(a, "keyword_argument") || Is(a, "list_splat") || Is(a, "dictionary_splat")) break;
    if (seen++ == index) return a;
  }
  return {};
}

}  // namespace referee::analyzers::python
