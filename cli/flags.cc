#include "flags.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "referee/base/strings.h"

namespace referee::cli {
namespace {

std::vector<std::string> SplitNames(const char* names) {
  std::vector<std::string> out;
  for (std::string& n : StrSplit(names, ',')) out.emplace_back(StripWhitespace(n));
  return out;
}

Status BadValue(const std::string& name, const std::string& value, const std::string& want) {
  return InvalidArgumentError("invalid " + name + " '" + value + "' (expected " + want + ")");
}

// `text` in lines of at most `width` characters (words kept whole), joined by "\n" + indent.
std::string Wrapped(const std::string& text, size_t width, const std::string& indent) {
  std::string out, line;
  for (const std::string& word : StrSplit(text, ' ')) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n" + indent;
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  return out + line;
}

}  // namespace

FlagSet::FlagSet(std::string usage, std::string description)
    : usage_(std::move(usage)), description_(std::move(description)) {}

FlagSet& FlagSet::Add(const char* names, const char* value, std::string help,
                      std::function<Status(const std::string&, const std::string&)> apply) {
  flags_.push_back(Flag{SplitNames(names), value ? value : "", std::move(help), std::move(apply)});
  return *this;
}

FlagSet& FlagSet::String(const char* names, std::string* out, const char* value,
                         const char* help) {
  return Add(names, value, help, [out](const std::string&, const std::string& v) {
    *out = v;
    return OkStatus();
  });
}

FlagSet& FlagSet::Choice(const char* names, std::string* out, std::vector<std::string> choices,
                         const char* help) {
  std::string value = StrJoin(choices, "|");
  // "text, json or sarif"
  std::string want = choices.size() < 2 ? value
                     : StrJoin(std::vector<std::string>(choices.begin(), choices.end() - 1),
                               ", ") + " or " + choices.back();
  return Add(names, value.c_str(), help,
             [out, choices, want](const std::string& name, const std::string& v) {
               for (const std::string& c : choices) {
                 if (c == v) {
                   *out = v;
                   return OkStatus();
                 }
               }
               return BadValue(name, v, want);
             });
}

FlagSet& FlagSet::Repeated(const char* names, std::vector<std::string>* out, const char* value,
                           const char* help) {
  return Add(names, value, std::string(help) + " (repeatable)",
             [out](const std::string&, const std::string& v) {
               out->push_back(v);
               return OkStatus();
             });
}

FlagSet& FlagSet::Int(const char* names, int* out, int min, int max, const char* value,
                      const char* help) {
  return Add(names, value, help, [out, min, max](const std::string& name, const std::string& v) {
    char* end = nullptr;
    errno = 0;
    long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno != 0 || n < min || n > max) {
      return BadValue(name, v, StrFormat("a whole number from %d to %d", min, max));
    }
    *out = static_cast<int>(n);
    return OkStatus();
  });
}

FlagSet& FlagSet::Double(const char* names, double* out, double above, const char* value,
                         const char* help) {
  return Add(names, value, help, [out, above](const std::string& name, const std::string& v) {
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(d) || d <= above) {
      return BadValue(name, v, StrFormat("a number above %g", above));
    }
    *out = d;
    return OkStatus();
  });
}

FlagSet& FlagSet::Bool(const char* names, bool* out, const char* help) {
  return Add(names, nullptr, help, [out](const std::string&, const std::string&) {
    *out = true;
    return OkStatus();
  });
}

FlagSet& FlagSet::Action(const char* names, std::function<void()> action, const char* help) {
  return Add(names, nullptr, help, [action](const std::string&, const std::string&) {
    action();
    return OkStatus();
  });
}

FlagSet& FlagSet::AfterDashes(std::vector<std::string>* out) {
  after_dashes_ = out;
  return *this;
}

FlagSet& FlagSet::Positionals(std::vector<std::string>* out, const char* name) {
  positionals_ = out;
  positional_name_ = name;
  return *this;
}

const FlagSet::Flag* FlagSet::Find(const std::string& name) const {
  for (const Flag& f : flags_) {
    for (const std::string& n : f.names) {
      if (n == name) return &f;
    }
  }
  return nullptr;
}

Status FlagSet::Unknown(const std::string& name) const {
  const std::string* best = nullptr;
  int best_distance = 3;  // suggest only close names
  for (const Flag& f : flags_) {
    for (const std::string& n : f.names) {
      int d = EditDistance(name, n);
      if (d < best_distance) best_distance = d, best = &n;
    }
  }
  if (best) return InvalidArgumentError("unknown option '" + name + "'; did you mean '" + *best + "'?");
  return InvalidArgumentError("unknown option '" + name + "'");
}

Status FlagSet::Parse(int argc, char** argv) {
  bool only_positional = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool is_flag = !only_positional && arg.size() > 1 && arg[0] == '-';
    if (!is_flag) {
      if (!positionals_) return InvalidArgumentError("unexpected argument '" + arg + "'");
      positionals_->push_back(arg);
      continue;
    }
    if (arg == "--") {
      if (after_dashes_) {
        after_dashes_->assign(argv + i + 1, argv + argc);
        return OkStatus();
      }
      only_positional = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      help_ = true;
      return OkStatus();
    }
    std::string name = arg, value;
    bool has_value = false;
    if (Find(arg)) {
      // declared as written (e.g. -vv)
    } else if (size_t eq = arg.find('='); StartsWith(arg, "--") && eq != std::string::npos) {
      name = arg.substr(0, eq), value = arg.substr(eq + 1), has_value = true;
    } else if (!StartsWith(arg, "--") && arg.size() > 2) {
      name = arg.substr(0, 2), value = arg.substr(2), has_value = true;  // -j4, -pDIR
    }
    const Flag* f = Find(name);
    if (!f) return Unknown(name);
    if (f->value.empty()) {
      if (has_value) return InvalidArgumentError("option '" + name + "' takes no value");
    } else if (!has_value) {
      if (i + 1 >= argc) return InvalidArgumentError("option '" + name + "' needs a value");
      value = argv[++i];
    }
    REFEREE_RETURN_IF_ERROR(f->apply(name, value));
  }
  return OkStatus();
}

std::string FlagSet::Usage() const {
  std::string out = "usage: " + usage_ + "\n";
  if (!description_.empty()) out += description_ + "\n";
  if (!flags_.empty()) out += "\noptions:\n";
  for (const Flag& f : flags_) {
    std::string left = "  " + StrJoin(f.names, ", ");
    if (!f.value.empty()) left += " " + f.value;
    if (left.size() < 30) left.resize(30, ' ');
    else left += "\n" + std::string(30, ' ');
    out += left + Wrapped(f.help, 70, std::string(30, ' ')) + "\n";
  }
  return out;
}

Expected<uint64_t> ParseByteSize(const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || !std::isfinite(v) || v < 0) {
    return InvalidArgumentError("bad size '" + text + "'");
  }
  std::string unit = end;
  double mult = 1;
  if (unit == "K" || unit == "k") mult = 1024.0;
  else if (unit == "M" || unit == "m") mult = 1024.0 * 1024;
  else if (unit == "G" || unit == "g") mult = 1024.0 * 1024 * 1024;
  else if (!unit.empty()) return InvalidArgumentError("bad size unit in '" + text + "'");
  return static_cast<uint64_t>(v * mult);
}

void AddFormatFlag(FlagSet& flags, std::string* format, std::vector<std::string> choices) {
  flags.Choice("--format", format, choices, "report format (default text)");
  flags.Action("--json", [format] { *format = "json"; }, "the same as --format json");
}

}  // namespace referee::cli
