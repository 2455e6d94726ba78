// referee.yaml loading. yaml-cpp throws; its exceptions stop in this file
// (STYLE.md).
#include "referee/analyzers/audit_config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "referee/base/file.h"
#include "referee/base/strings.h"

namespace referee::analyzers {
namespace {

const std::vector<std::string> kTimers = {
    "time.time",        "time.perf_counter",    "time.monotonic",
    "time.time_ns",     "time.perf_counter_ns", "time.monotonic_ns",
    "time.process_time"};
// The harness conventions of the anchors (issue 18): SOL-ExecBench `run`, KernelBench `ModelNew`,
// gpu-mode `custom_kernel`, pygpubench `kernel`; `forward`/`__call__` of any module.
const std::vector<std::string> kEntryFunctions = {"forward",  "run",       "__call__",
                                                  "custom_kernel", "solution", "kernel_fn",
                                                  "kernel", "ModelNew"};

void AddModulesOfFixedFiles(AuditConfig* c) {
  for (const std::string& f : c->fixed_files) {
    std::filesystem::path p(f);
    if (p.extension() != ".py") continue;
    std::string stem = p.stem().string();
    bool have = false;
    for (const std::string& m : c->fixed_modules) have = have || m == stem;
    if (!have) c->fixed_modules.push_back(stem);
  }
}

Status Error(const std::string& path, const YAML::Mark& mark, std::string message) {
  return InvalidArgumentError(std::move(message), SourceLoc{path, mark.line + 1, mark.column + 1});
}

Expected<std::vector<std::string>> List(const YAML::Node& node, const std::string& path,
                                        const std::string& key) {
  std::vector<std::string> out;
  if (node.IsNull()) return out;
  if (node.IsScalar()) return std::vector<std::string>{node.Scalar()};
  if (!node.IsSequence()) {
    return Error(path, node.Mark(), StrFormat("'%s' must be a list of strings", key.c_str()));
  }
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) {
      return Error(path, item.Mark(), StrFormat("'%s' must be a list of strings", key.c_str()));
    }
    out.push_back(item.Scalar());
  }
  return out;
}

Status ApplyField(const std::string& key, const YAML::Node& value, const std::string& path,
                  AuditConfig* c) {
  if (key == "layout") return OkStatus();  // applied first
  if (key == "context") {
    if (!value.IsScalar() || (value.Scalar() != "auto" && value.Scalar() != "kernel" &&
                              value.Scalar() != "training" && value.Scalar() != "other")) {
      return Error(path, value.Mark(), "'context' must be auto, kernel, training or other");
    }
    c->context = value.Scalar();
    return OkStatus();
  }
  if (key == "allow_suppressions" || key == "allow_baseline_in_tree") {
    if (!value.IsScalar() || (value.Scalar() != "true" && value.Scalar() != "false")) {
      return Error(path, value.Mark(), StrFormat("'%s' must be true or false", key.c_str()));
    }
    (key == "allow_suppressions" ? c->allow_suppressions : c->allow_baseline_in_tree) =
        value.Scalar() == "true";
    return OkStatus();
  }
  if (key == "validation_reads") {
    if (!value.IsScalar() || (value.Scalar() != "evaluator" && value.Scalar() != "untimed")) {
      return Error(path, value.Mark(), "'validation_reads' must be 'evaluator' or 'untimed'");
    }
    c->validation_reads = value.Scalar();
    return OkStatus();
  }
  std::vector<std::string>* target = nullptr;
  if (key == "fixed_files") target = &c->fixed_files;
  if (key == "fixed_modules") target = &c->fixed_modules;
  if (key == "evaluator") target = &c->evaluators;
  if (key == "timers") target = &c->timers;
  if (key == "budget") target = &c->budget_names;
  if (key == "metrics") target = &c->metrics;
  if (key == "validation_data") target = &c->validation_data;
  if (key == "allowed_calls") target = &c->allowed_calls;
  if (key == "entry_functions" || key == "entry") target = &c->entry_functions;
  if (key == "outputs") target = &c->outputs;
  if (target == nullptr) {
    return Error(path, value.Mark(), StrFormat("unknown key '%s' in referee.yaml", key.c_str()));
  }
  REFEREE_ASSIGN_OR_RETURN(*target, List(value, path, key));
  return OkStatus();
}

}  // namespace

Expected<AuditConfig> DefaultAuditConfig(const std::string& layout) {
  AuditConfig c;
  c.layout = layout;
  c.timers = kTimers;
  c.entry_functions = kEntryFunctions;
  if (layout == "autoresearch") {
    c.fixed_files = {"prepare.py"};
    c.evaluators = {"evaluate_bpb"};
    c.budget_names = {"TIME_BUDGET"};
    c.metrics = {"val_bpb", "val_loss"};
    c.validation_data = {"^val$", "^VAL_(FILENAME|SHARD|FILES?|PATH)$", "shard_06542",
                         "^val_(tokens|loader|data|files?|shard|path|batch(es)?|ds|dataset)$"};
    c.validation_reads = "evaluator";
    c.allowed_calls = {"kernels.get_kernel"};  // train.py fetches the FA3 kernel this way
  } else if (layout == "modded-nanogpt") {
    c.metrics = {"val_loss"};
    c.validation_data = {"^val_(files|tokens|loader)$", "fineweb_val_"};
    c.validation_reads = "untimed";  // validation runs inline, with the clock stopped
    c.allowed_calls = {"kernels.get_kernel"};
  } else if (layout != "generic") {
    return InvalidArgumentError(
        StrFormat("unknown layout '%s' (expected autoresearch, modded-nanogpt "
                  "or generic)",
                  layout.c_str()));
  }
  AddModulesOfFixedFiles(&c);
  return c;
}

Expected<AuditConfig> ParseAuditConfig(const std::string& text, const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return Error(path, e.mark, e.msg);
  }
  if (root.IsNull()) return DefaultAuditConfig("autoresearch");
  if (!root.IsMap()) return Error(path, root.Mark(), "referee.yaml must be a mapping");
  std::string layout = "autoresearch";
  if (root["layout"]) {
    if (!root["layout"].IsScalar()) return Error(path, root["layout"].Mark(), "bad 'layout'");
    layout = root["layout"].Scalar();
  }
  Expected<AuditConfig> base = DefaultAuditConfig(layout);
  if (!base) return Error(path, root["layout"].Mark(), base.error().message());
  AuditConfig c = std::move(*base);
  try {
    for (auto it = root.begin(); it != root.end(); ++it) {
      REFEREE_RETURN_IF_ERROR(ApplyField(it->first.as<std::string>(), it->second, path, &c));
    }
  } catch (const YAML::Exception& e) {
    return Error(path, e.mark, e.msg);
  }
  if (root["fixed_files"] && !root["fixed_modules"]) c.fixed_modules.clear();
  AddModulesOfFixedFiles(&c);
  return c;
}

Expected<AuditConfig> LoadAuditConfig(const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path yaml = fs::path(root) / "referee.yaml";
  if (fs::exists(yaml, ec)) {
    REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(yaml.string()));
    REFEREE_ASSIGN_OR_RETURN(AuditConfig c, ParseAuditConfig(text, yaml.string()));
    c.root = root;
    return c;
  }
  // modded-nanogpt: a train_gpt*.py record script and no prepare.py beside it.
  bool modded = false;
  if (!fs::exists(fs::path(root) / "prepare.py", ec)) {
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.rfind("train_gpt", 0) == 0 && it->path().extension() == ".py") modded = true;
    }
  }
  REFEREE_ASSIGN_OR_RETURN(AuditConfig c,
                           DefaultAuditConfig(modded ? "modded-nanogpt" : "autoresearch"));
  // Without referee.yaml, prepare.py is the fixed harness only in an autoresearch checkout
  // (train.py beside it); elsewhere (torch/ao/quantization/fx/prepare.py) it is ordinary code.
  // The module name stays protected: `import prepare; prepare.X = ...` is still flagged.
  if (!modded && !fs::exists(fs::path(root) / "train.py", ec)) c.fixed_files.clear();
  c.root = root;
  return c;
}

Expected<AuditConfig> LoadAuditConfigFile(const std::string& path) {
  REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseAuditConfig(text, path);
}

bool IsFixedFile(const AuditConfig& config, const std::string& path) {
  namespace fs = std::filesystem;
  std::string base = fs::path(path).filename().string();
  for (const std::string& f : config.fixed_files) {
    if (f == path || (config.root.empty() && f == base)) return true;
    std::error_code ec;
    if (!config.root.empty() &&
        fs::absolute(path, ec).lexically_normal() ==
            fs::absolute(fs::path(config.root) / f, ec).lexically_normal()) {
      return true;
    }
  }
  return false;
}

}  // namespace referee::analyzers
