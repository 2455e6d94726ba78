#include "referee/search/program.h"

#include <sys/stat.h>

#include <filesystem>

#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/search/sha256.h"

namespace referee::search {

std::string ProgramHash(const Program& p) {
  Sha256 h;
  for (const auto& [name, content] : p.files) {
    h.Update(name);
    h.Update(std::string_view("\0", 1));
    h.Update(std::to_string(content.size()));
    h.Update(std::string_view("\0", 1));
    h.Update(content);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : h.Finish()) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

Expected<std::string> StoreProgram(const BlobStore& blobs, const Program& p) {
  Json manifest = {{"files", Json::object()}};
  for (const auto& [name, content] : p.files) {
    REFEREE_ASSIGN_OR_RETURN(std::string id, blobs.Put(content));
    manifest["files"][name] = id;
  }
  return blobs.Put(DumpJson(manifest, -1));
}

Expected<Program> LoadProgram(const BlobStore& blobs, const std::string& manifest_id) {
  REFEREE_ASSIGN_OR_RETURN(std::string text, blobs.Get(manifest_id));
  REFEREE_ASSIGN_OR_RETURN(Json manifest, ParseJson(text, blobs.PathOf(manifest_id)));
  if (!manifest.contains("files") || !manifest["files"].is_object()) {
    return DataLossError(blobs.PathOf(manifest_id) + ": not a program manifest");
  }
  Program p;
  for (const auto& [name, id] : manifest["files"].items()) {
    if (!id.is_string() || !IsSafeRelativeName(name)) {
      return DataLossError(blobs.PathOf(manifest_id) + ": bad entry '" + name + "'");
    }
    REFEREE_ASSIGN_OR_RETURN(p.files[name], blobs.Get(id.get<std::string>()));
  }
  return p;
}

bool IsSafeRelativeName(const std::string& name) {
  if (name.empty() || name[0] == '/' || name.size() > 255) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    std::string part = name.substr(start, end - start);
    if (part.empty() || part[0] == '.') return false;
    start = end + 1;
  }
  for (char c : name) {
    if (c == '\0' || c == '\n' || c == '\\') return false;
  }
  return true;
}

Status MaterializeProgram(const Program& p, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return FailedPreconditionError(dir + ": cannot create: " + ec.message());
  chmod(dir.c_str(), 0755);  // the sandbox user must be able to read it
  for (const auto& [name, content] : p.files) {
    if (!IsSafeRelativeName(name)) return InvalidArgumentError("unsafe file name '" + name + "'");
    std::filesystem::path path = std::filesystem::path(dir) / name;
    std::filesystem::create_directories(path.parent_path(), ec);
    REFEREE_RETURN_IF_ERROR(WriteFile(path.string(), content));
    chmod(path.c_str(), 0644);
  }
  return OkStatus();
}

Expected<Program> ReadProgram(const std::string& dir, const std::vector<std::string>& names) {
  Program p;
  for (const std::string& name : names) {
    if (!IsSafeRelativeName(name)) return InvalidArgumentError("unsafe file name '" + name + "'");
    REFEREE_ASSIGN_OR_RETURN(p.files[name], ReadFile(dir + "/" + name));
  }
  return p;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start + 1));
    start = end + 1;
  }
  return lines;
}

Expected<std::vector<Region>> FindRegions(const std::string& content, const std::string& name) {
  std::vector<Region> regions;
  std::vector<std::string> lines = SplitLines(content);
  int open = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    int line = static_cast<int>(i) + 1;
    size_t b = lines[i].find("referee: begin-editable");
    size_t e = lines[i].find("referee: end-editable");
    if (b != std::string::npos) {
      if (open) {
        return InvalidArgumentError("nested 'referee: begin-editable' (the region opened at line " +
                                        std::to_string(open) + " is not closed)",
                                    {name, line, static_cast<int>(b) + 1});
      }
      open = line;
    } else if (e != std::string::npos) {
      if (!open) {
        return InvalidArgumentError("'referee: end-editable' without a begin marker",
                                    {name, line, static_cast<int>(e) + 1});
      }
      regions.push_back({open, line});
      open = 0;
    }
  }
  if (open) {
    return InvalidArgumentError("'referee: begin-editable' is never closed", {name, open, 1});
  }
  return regions;
}

}  // namespace referee::search
