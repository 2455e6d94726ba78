#include "referee/search/patch_gate.h"

#include <algorithm>

#include "referee/base/strings.h"
#include "referee/search/diff.h"
#include "referee/search/tunables.h"

namespace referee::search {
namespace {

std::string RegionList(const std::vector<Region>& regions) {
  std::vector<std::string> parts;
  for (const Region& r : regions) {
    parts.push_back(StrFormat("%d-%d", r.begin_line + 1, r.end_line - 1));
  }
  return "editable lines " + StrJoin(parts, ", ");
}

// Every deleted parent line lies strictly inside a region; every inserted line goes after a
// line in [begin marker, end marker).
Status CheckRegions(const std::string& name, const std::string& parent, const std::string& child,
                    const std::vector<Region>& regions) {
  std::vector<std::string> a = SplitLines(parent), b = SplitLines(child);
  int consumed = 0;  // parent lines before the current edit
  for (const Edit& e : DiffLines(a, b)) {
    if (e.op == EditOp::kEqual) {
      consumed = e.a + 1;
      continue;
    }
    if (e.op == EditOp::kDelete) {
      int line = e.a + 1;
      consumed = e.a + 1;
      bool inside = std::any_of(regions.begin(), regions.end(), [&](const Region& r) {
        return r.begin_line < line && line < r.end_line;
      });
      if (!inside) {
        return InvalidArgumentError(
            StrFormat("the change removes or edits line %d of the parent, outside the %s", line,
                      RegionList(regions).c_str()),
            {name, line, 1});
      }
      continue;
    }
    bool inside = std::any_of(regions.begin(), regions.end(), [&](const Region& r) {
      return r.begin_line <= consumed && consumed < r.end_line;
    });
    if (!inside) {
      return InvalidArgumentError(
          StrFormat("the change inserts line %d after parent line %d, outside the %s", e.b + 1,
                    consumed, RegionList(regions).c_str()),
          {name, e.b + 1, 1});
    }
  }
  return OkStatus();
}

// Annotated tunables may change wherever they are, but only to a listed value: the child's
// tunables are checked, then set back to the parent's values so that the region check sees
// only the rest of the change.
Expected<std::string> WithParentTunables(const std::string& name, const std::string& parent,
                                         const std::string& child) {
  Program p{{{name, parent}}}, c{{{name, child}}};
  REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> mine, FindTunables(c));
  REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> theirs, FindTunables(p));
  Json reset = Json::object();
  for (const Tunable& t : mine) {
    if (t.current_index < 0) {
      return InvalidArgumentError(StrFormat("tunable %s = %s is not one of its listed values",
                                            t.name.c_str(), t.current.c_str()),
                                  {name, t.line, 1});
    }
    for (const Tunable& o : theirs) {
      if (o.name == t.name && o.current != t.current && o.current_index >= 0) {
        reset[t.name] = CurrentParams({o})[t.name];
      }
    }
  }
  if (reset.empty()) return child;
  REFEREE_ASSIGN_OR_RETURN(Program back, ApplyParams(c, reset));
  return back.files[name];
}

}  // namespace

Status CheckPatch(const Program& parent, const Program& child, const GateOptions& options) {
  for (const auto& [name, content] : child.files) {
    if (!parent.files.count(name)) {
      return InvalidArgumentError("the change adds a file the program does not have", {name, 0, 0});
    }
  }
  int changed = 0;
  for (const auto& [name, old_content] : parent.files) {
    auto it = child.files.find(name);
    if (it == child.files.end()) {
      return InvalidArgumentError("the change removes a file of the program", {name, 0, 0});
    }
    const std::string& content = it->second;
    if (content == old_content) continue;
    bool editable = std::find(options.editable_files.begin(), options.editable_files.end(), name) !=
                    options.editable_files.end();
    if (!editable) {
      return InvalidArgumentError("the change edits a fixed (non-editable) file", {name, 0, 0});
    }
    if (content.size() > options.max_file_bytes) {
      return InvalidArgumentError(StrFormat("the file would be %zu bytes, over the cap of %zu",
                                            content.size(), options.max_file_bytes),
                                  {name, 0, 0});
    }
    REFEREE_ASSIGN_OR_RETURN(std::vector<Region> regions, FindRegions(old_content, name));
    if (!regions.empty()) {
      REFEREE_ASSIGN_OR_RETURN(std::string rest, WithParentTunables(name, old_content, content));
      REFEREE_RETURN_IF_ERROR(CheckRegions(name, old_content, rest, regions));
    }
    Program from{{{name, old_content}}}, to{{{name, content}}};
    changed += ChangedLines(from, to);
  }
  if (changed == 0) return InvalidArgumentError("the proposal changes nothing");
  if (changed > options.max_changed_lines) {
    return InvalidArgumentError(StrFormat("the change touches %d lines, over the cap of %d",
                                          changed, options.max_changed_lines));
  }
  return OkStatus();
}

}  // namespace referee::search
