#include "referee/search/diff.h"

#include <algorithm>
#include <unordered_map>

#include "referee/base/strings.h"

namespace referee::search {
namespace {

constexpr int kMaxD = 3000;  // beyond: the middle is replaced wholesale

// Myers' forward greedy algorithm on interned lines, with a trace of the V window per step.
std::vector<Edit> Myers(const std::vector<int>& a, const std::vector<int>& b, int a0, int b0) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int max = n + m;
  std::vector<Edit> out;
  std::vector<std::vector<int>> trace;  // trace[d][k + d] = furthest x on diagonal k at step d
  std::vector<int> v(2 * static_cast<size_t>(max) + 3, 0);
  const int off = max + 1;
  int found = -1;
  for (int d = 0; d <= std::min(max, kMaxD) && found < 0; ++d) {
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1]
                                                                       : v[off + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[off + k] = x;
      if (x >= n && y >= m) found = d;
    }
    trace.emplace_back(v.begin() + off - d, v.begin() + off + d + 1);
  }
  if (found < 0) {  // too different: delete all, insert all
    for (int i = 0; i < n; ++i) out.push_back({EditOp::kDelete, a0 + i, -1});
    for (int j = 0; j < m; ++j) out.push_back({EditOp::kInsert, -1, b0 + j});
    return out;
  }
  int x = n, y = m;
  for (int d = found; d > 0; --d) {
    const std::vector<int>& prev = trace[d - 1];  // V after step d - 1, window [-(d-1), d-1]
    int k = x - y;
    auto at = [&](int kk) { return prev[kk + d - 1]; };
    int prev_k = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1;
    int prev_x = at(prev_k), prev_y = prev_x - prev_k;
    int mid_x = prev_k == k + 1 ? prev_x : prev_x + 1;  // after the step, before the snake
    while (x > mid_x) {
      out.push_back({EditOp::kEqual, a0 + x - 1, b0 + y - 1});
      --x, --y;
    }
    if (prev_k == k + 1) {
      out.push_back({EditOp::kInsert, -1, b0 + prev_y});
    } else {
      out.push_back({EditOp::kDelete, a0 + prev_x, -1});
    }
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) {
    out.push_back({EditOp::kEqual, a0 + x - 1, b0 + y - 1});
    --x, --y;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

struct Hunk {
  int old_start = 0, old_count = 0, new_start = 0, new_count = 0;
  std::vector<std::string> lines;  // with their prefix (' ', '-', '+')
};

void AppendLine(std::string& out, char prefix, const std::string& line) {
  out.push_back(prefix);
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::vector<Edit> DiffLines(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::unordered_map<std::string, int> ids;
  auto intern = [&](const std::vector<std::string>& v) {
    std::vector<int> out;
    out.reserve(v.size());
    for (const std::string& s : v) out.push_back(ids.emplace(s, ids.size()).first->second);
    return out;
  };
  std::vector<int> ia = intern(a), ib = intern(b);
  size_t pre = 0;
  while (pre < ia.size() && pre < ib.size() && ia[pre] == ib[pre]) ++pre;
  size_t suf = 0;
  while (suf < ia.size() - pre && suf < ib.size() - pre &&
         ia[ia.size() - 1 - suf] == ib[ib.size() - 1 - suf]) {
    ++suf;
  }
  std::vector<Edit> out;
  for (size_t i = 0; i < pre; ++i) {
    out.push_back({EditOp::kEqual, static_cast<int>(i), static_cast<int>(i)});
  }
  std::vector<int> ma(ia.begin() + pre, ia.end() - suf), mb(ib.begin() + pre, ib.end() - suf);
  for (const Edit& e : Myers(ma, mb, static_cast<int>(pre), static_cast<int>(pre))) {
    out.push_back(e);
  }
  for (size_t i = 0; i < suf; ++i) {
    out.push_back({EditOp::kEqual, static_cast<int>(ia.size() - suf + i),
                   static_cast<int>(ib.size() - suf + i)});
  }
  return out;
}

std::string UnifiedDiff(const std::string& name, const std::string& old_text,
                        const std::string& new_text, int context, bool old_exists,
                        bool new_exists) {
  if (old_text == new_text && old_exists == new_exists) return "";
  std::vector<std::string> a = SplitLines(old_text), b = SplitLines(new_text);
  std::vector<Edit> edits = DiffLines(a, b);
  std::string out = (old_exists ? "--- a/" + name : std::string("--- /dev/null")) + "\n" +
                    (new_exists ? "+++ b/" + name : std::string("+++ /dev/null")) + "\n";
  size_t i = 0;
  while (i < edits.size()) {
    while (i < edits.size() && edits[i].op == EditOp::kEqual) ++i;
    if (i == edits.size()) break;
    size_t start = i >= static_cast<size_t>(context) ? i - context : 0;
    size_t end = i;  // extend while changes are within 2*context of each other
    size_t last_change = i;
    while (end < edits.size()) {
      if (edits[end].op != EditOp::kEqual) last_change = end;
      if (end - last_change > static_cast<size_t>(2 * context)) break;
      ++end;
    }
    end = std::min(edits.size(), last_change + context + 1);
    Hunk h;
    for (size_t k = start; k < end; ++k) {
      const Edit& e = edits[k];
      if (e.op != EditOp::kInsert) {
        if (h.old_count++ == 0) h.old_start = e.a + 1;
      }
      if (e.op != EditOp::kDelete) {
        if (h.new_count++ == 0) h.new_start = e.b + 1;
      }
    }
    // An empty side starts after the line before the hunk (0 at the top of the file).
    auto before = [&](bool old_side) {
      for (size_t k = start; k-- > 0;) {
        int idx = old_side ? edits[k].a : edits[k].b;
        if (idx >= 0) return idx + 1;
      }
      return 0;
    };
    if (h.old_count == 0) h.old_start = before(true);
    if (h.new_count == 0) h.new_start = before(false);
    out += StrFormat("@@ -%d,%d +%d,%d @@\n", h.old_start, h.old_count, h.new_start, h.new_count);
    for (size_t k = start; k < end; ++k) {
      const Edit& e = edits[k];
      if (e.op == EditOp::kEqual) AppendLine(out, ' ', a[e.a]);
      if (e.op == EditOp::kDelete) AppendLine(out, '-', a[e.a]);
      if (e.op == EditOp::kInsert) AppendLine(out, '+', b[e.b]);
    }
    i = end;
  }
  return out;
}

std::string ProgramDiff(const Program& from, const Program& to) {
  std::string out;
  for (const auto& [name, content] : from.files) {
    auto it = to.files.find(name);
    out += it == to.files.end() ? UnifiedDiff(name, content, "", 3, true, false)
                                : UnifiedDiff(name, content, it->second);
  }
  for (const auto& [name, content] : to.files) {
    if (!from.files.count(name)) out += UnifiedDiff(name, "", content, 3, false, true);
  }
  return out;
}

int ChangedLines(const Program& from, const Program& to) {
  int n = 0;
  auto count = [&](const std::string& a, const std::string& b) {
    for (const Edit& e : DiffLines(SplitLines(a), SplitLines(b))) n += e.op != EditOp::kEqual;
  };
  for (const auto& [name, content] : from.files) {
    auto it = to.files.find(name);
    count(content, it == to.files.end() ? "" : it->second);
  }
  for (const auto& [name, content] : to.files) {
    if (!from.files.count(name)) count("", content);
  }
  return n;
}

}  // namespace referee::search

namespace referee::search {
namespace {

struct FilePatch {
  std::string old_name, new_name;  // "" for /dev/null
  std::vector<Hunk> hunks;
  std::vector<std::vector<std::string>> old_lines, new_lines;  // per hunk
};

std::string PatchName(const std::string& header) {
  std::string name(StripWhitespace(header));
  size_t tab = name.find('\t');
  if (tab != std::string::npos) name = name.substr(0, tab);
  if (name == "/dev/null") return "";
  if (StartsWith(name, "a/") || StartsWith(name, "b/")) name = name.substr(2);
  return name;
}

bool ParseRange(const std::string& s, int& start, int& count) {
  size_t comma = s.find(',');
  char* end = nullptr;
  start = static_cast<int>(std::strtol(s.c_str(), &end, 10));
  count = 1;
  if (comma != std::string::npos) {
    count = static_cast<int>(std::strtol(s.c_str() + comma + 1, &end, 10));
  }
  return start >= 0 && count >= 0;
}

Status DiffError(const std::string& msg, int line) {
  return InvalidArgumentError(msg, {"<diff>", line, 1});
}

// Reads one hunk's body starting at lines[i] (after its @@ line).
Status ReadHunkBody(const std::vector<std::string>& lines, size_t& i, Hunk& h,
                    std::vector<std::string>& olds, std::vector<std::string>& news) {
  int old_left = h.old_count, new_left = h.new_count;
  char last = 0;
  while (i < lines.size() && (old_left > 0 || new_left > 0 || StartsWith(lines[i], "\\"))) {
    std::string l = lines[i];
    if (StartsWith(l, "\\")) {  // "\ No newline at end of file": the previous line ends bare
      auto strip = [](std::vector<std::string>& v) {
        if (!v.empty() && !v.back().empty() && v.back().back() == '\n') v.back().pop_back();
      };
      if (last == '-' || last == ' ') strip(olds);
      if (last == '+' || last == ' ') strip(news);
      ++i;
      continue;
    }
    char c = l.empty() ? ' ' : l[0];
    std::string body = l.empty() || l == "\n" ? "\n" : l.substr(1);
    if (l.empty() || l == "\n") c = ' ';
    if (c == ' ') {
      olds.push_back(body), news.push_back(body), --old_left, --new_left;
    } else if (c == '-') {
      olds.push_back(body), --old_left;
    } else if (c == '+') {
      news.push_back(body), --new_left;
    } else {
      return DiffError("unexpected line in a hunk", static_cast<int>(i) + 1);
    }
    last = c;
    ++i;
  }
  if (old_left != 0 || new_left != 0) {
    return DiffError("hunk shorter than its header says", static_cast<int>(i));
  }
  return OkStatus();
}

Expected<std::vector<FilePatch>> ParseDiff(const std::string& diff) {
  std::vector<std::string> lines = SplitLines(diff);
  std::vector<FilePatch> patches;
  size_t i = 0;
  while (i < lines.size()) {
    if (!StartsWith(lines[i], "--- ")) {
      ++i;  // "diff --git", "index ...", prose: skipped
      continue;
    }
    if (i + 1 >= lines.size() || !StartsWith(lines[i + 1], "+++ ")) {
      return DiffError("'---' without '+++'", static_cast<int>(i) + 1);
    }
    FilePatch fp;
    fp.old_name = PatchName(lines[i].substr(4));
    fp.new_name = PatchName(lines[i + 1].substr(4));
    i += 2;
    while (i < lines.size() && StartsWith(lines[i], "@@ ")) {
      Hunk h;
      std::vector<std::string> parts = StrSplit(lines[i], ' ');
      if (parts.size() < 4 || parts[1].size() < 2 || parts[2].size() < 2 ||
          !ParseRange(parts[1].substr(1), h.old_start, h.old_count) ||
          !ParseRange(parts[2].substr(1), h.new_start, h.new_count)) {
        return DiffError("malformed hunk header", static_cast<int>(i) + 1);
      }
      ++i;
      std::vector<std::string> olds, news;
      REFEREE_RETURN_IF_ERROR(ReadHunkBody(lines, i, h, olds, news));
      fp.hunks.push_back(h);
      fp.old_lines.push_back(std::move(olds));
      fp.new_lines.push_back(std::move(news));
    }
    if (fp.hunks.empty()) return DiffError("file header without hunks", static_cast<int>(i));
    patches.push_back(std::move(fp));
  }
  if (patches.empty()) return InvalidArgumentError("the diff changes no file");
  return patches;
}

bool MatchesAt(const std::vector<std::string>& file, const std::vector<std::string>& want,
               size_t pos) {
  if (pos + want.size() > file.size()) return false;
  return std::equal(want.begin(), want.end(), file.begin() + static_cast<long>(pos));
}

Expected<std::string> ApplyFilePatch(const std::string& name, const std::string& text,
                                     const FilePatch& fp) {
  std::vector<std::string> file = SplitLines(text);
  std::vector<std::string> out;
  size_t cursor = 0;
  long offset = 0;
  for (size_t h = 0; h < fp.hunks.size(); ++h) {
    const std::vector<std::string>& want = fp.old_lines[h];
    long expected = std::max<long>(0, fp.hunks[h].old_start - (want.empty() ? 0 : 1)) + offset;
    long found = -1;
    long limit = static_cast<long>(file.size());
    for (long delta = 0; delta <= limit && found < 0; ++delta) {
      for (long pos : {expected - delta, expected + delta}) {
        if (pos >= static_cast<long>(cursor) && pos <= limit &&
            MatchesAt(file, want, static_cast<size_t>(pos))) {
          found = pos;
          break;
        }
      }
    }
    if (found < 0) {
      return InvalidArgumentError(
          StrFormat("%s: hunk %zu (@@ -%d,%d) does not apply: its "
                    "context is not in the file",
                    name.c_str(), h + 1, fp.hunks[h].old_start, fp.hunks[h].old_count));
    }
    out.insert(out.end(), file.begin() + static_cast<long>(cursor), file.begin() + found);
    out.insert(out.end(), fp.new_lines[h].begin(), fp.new_lines[h].end());
    cursor = static_cast<size_t>(found) + want.size();
    offset = found - (expected - offset);
  }
  out.insert(out.end(), file.begin() + static_cast<long>(cursor), file.end());
  std::string joined;
  for (const std::string& l : out) joined += l;
  return joined;
}

}  // namespace

Expected<Program> ApplyUnifiedDiff(const Program& base, const std::string& diff) {
  REFEREE_ASSIGN_OR_RETURN(std::vector<FilePatch> patches, ParseDiff(diff));
  Program out = base;
  for (const FilePatch& fp : patches) {
    const std::string& name = fp.new_name.empty() ? fp.old_name : fp.new_name;
    if (!IsSafeRelativeName(name)) {
      return InvalidArgumentError("the diff names an unsafe path '" + name + "'");
    }
    std::string old_text;
    if (!fp.old_name.empty()) {
      auto it = out.files.find(fp.old_name);
      if (it == out.files.end()) {
        return InvalidArgumentError("the diff changes '" + fp.old_name +
                                    "', which the program does not have");
      }
      old_text = it->second;
    }
    REFEREE_ASSIGN_OR_RETURN(std::string patched, ApplyFilePatch(name, old_text, fp));
    if (fp.new_name.empty()) {
      out.files.erase(fp.old_name);
    } else {
      if (!fp.old_name.empty() && fp.old_name != fp.new_name) out.files.erase(fp.old_name);
      out.files[fp.new_name] = patched;
    }
  }
  return out;
}

Expected<std::string> Merge3(const std::string& base, const std::string& ours,
                             const std::string& theirs, const std::string& name) {
  std::vector<std::string> o = SplitLines(base), a = SplitLines(ours), b = SplitLines(theirs);
  std::vector<int> ma(o.size(), -1), mb(o.size(), -1);
  for (const Edit& e : DiffLines(o, a)) {
    if (e.op == EditOp::kEqual) ma[e.a] = e.b;
  }
  for (const Edit& e : DiffLines(o, b)) {
    if (e.op == EditOp::kEqual) mb[e.a] = e.b;
  }
  std::string out;
  size_t i = 0, ia = 0, ib = 0;
  auto slice = [](const std::vector<std::string>& v, size_t from, size_t to) {
    return std::vector<std::string>(v.begin() + static_cast<long>(from),
                                    v.begin() + static_cast<long>(to));
  };
  while (i <= o.size()) {
    // The next base line both sides kept in place (the end of all three as a sentinel).
    size_t j = i;
    while (j < o.size() && (ma[j] < 0 || mb[j] < 0)) ++j;
    size_t ja = j < o.size() ? static_cast<size_t>(ma[j]) : a.size();
    size_t jb = j < o.size() ? static_cast<size_t>(mb[j]) : b.size();
    std::vector<std::string> so = slice(o, i, j), sa = slice(a, ia, ja), sb = slice(b, ib, jb);
    const std::vector<std::string>* take = nullptr;
    if (sa == so) {
      take = &sb;
    } else if (sb == so || sa == sb) {
      take = &sa;
    } else {
      return FailedPreconditionError(StrFormat(
          "%s: both sides changed lines %zu-%zu of the common ancestor differently (a merge "
          "conflict)",
          name.c_str(), i + 1, std::max(i + 1, j)));
    }
    for (const std::string& l : *take) out += l;
    if (j == o.size()) break;
    out += o[j];
    i = j + 1;
    ia = ja + 1;
    ib = jb + 1;
  }
  return out;
}

Expected<Program> MergePrograms(const Program& base, const Program& ours, const Program& theirs) {
  Program out;
  std::map<std::string, int> names;
  for (const auto* p : {&base, &ours, &theirs}) {
    for (const auto& [name, content] : p->files) names[name] = 1;
  }
  for (const auto& [name, unused] : names) {
    auto get = [&](const Program& p) {
      auto it = p.files.find(name);
      return it == p.files.end() ? std::string() : it->second;
    };
    if (!ours.files.count(name) || !theirs.files.count(name)) {
      return FailedPreconditionError(name +
                                     ": added or removed on one side only (cannot "
                                     "merge file sets)");
    }
    REFEREE_ASSIGN_OR_RETURN(out.files[name], Merge3(get(base), get(ours), get(theirs), name));
  }
  return out;
}

}  // namespace referee::search
