// One tensor of a safetensors file, read by the trusted parent (SOL-ExecBench workload inputs of
// type "safetensors"). The format: 8 bytes little-endian N, N bytes of JSON
// {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}, then the data,
// offsets relative to its start. The file is task input, not trusted: every length and offset is
// checked against the file's size and the definition's shape before anything is allocated, and
// only the one tensor's bytes are read.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "referee/base/strings.h"
#include "task/task_internal.h"

namespace referee::harness {
namespace {

constexpr uint64_t kMaxHeaderBytes = uint64_t{100} << 20;  // the format's own limit

const char* SafetensorsDType(DType d) {
  switch (d) {
    case DType::kFloat64: return "F64";
    case DType::kFloat32: return "F32";
    case DType::kFloat16: return "F16";
    case DType::kBFloat16: return "BF16";
    case DType::kInt64: return "I64";
    case DType::kInt32: return "I32";
    case DType::kInt16: return "I16";
    case DType::kInt8: return "I8";
    case DType::kUInt8: return "U8";
    case DType::kBool: return "BOOL";
  }
  return "?";
}

// "path: at byte N: message" as a located error (the file is binary: no lines).
Status At(const std::string& path, uint64_t byte, const std::string& message) {
  return InvalidArgumentError(StrFormat("at byte %llu: ", (unsigned long long)byte) + message,
                              {path, 0, 0});
}

// Reads exactly n bytes at `offset` (the file's size was checked first).
Status ReadExactly(int fd, const std::string& path, uint64_t offset, char* out, uint64_t n) {
  uint64_t done = 0;
  while (done < n) {
    ssize_t got = pread(fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return At(path, offset + done, got < 0 ? std::strerror(errno) : "file ends");
    done += static_cast<uint64_t>(got);
  }
  return OkStatus();
}

struct Header {
  uint64_t json_bytes = 0;
  uint64_t data_start = 0;  // 8 + json_bytes
  Json json;
};

Expected<Header> ReadHeader(int fd, const std::string& path, uint64_t file_size) {
  if (file_size < 8) return At(path, 0, "not a safetensors file (shorter than 8 bytes)");
  unsigned char len[8];
  REFEREE_RETURN_IF_ERROR(ReadExactly(fd, path, 0, reinterpret_cast<char*>(len), 8));
  Header h;
  for (int i = 7; i >= 0; --i) h.json_bytes = (h.json_bytes << 8) | len[i];
  if (h.json_bytes > kMaxHeaderBytes || h.json_bytes > file_size - 8) {
    return At(path, 0, StrFormat("header length %llu is past the file's %llu bytes or the "
                                 "100 MiB limit", (unsigned long long)h.json_bytes,
                                 (unsigned long long)file_size));
  }
  h.data_start = 8 + h.json_bytes;
  std::string text(h.json_bytes, '\0');
  REFEREE_RETURN_IF_ERROR(ReadExactly(fd, path, 8, text.data(), h.json_bytes));
  Expected<Json> j = ParseJson(text, path);
  if (!j) {
    uint64_t col = j.error().loc().col > 0 ? uint64_t(j.error().loc().col) - 1 : 0;
    return At(path, 8 + col, "header is not JSON: " + Printable(j.error().message()));
  }
  if (!j->is_object()) return At(path, 8, "header is not a JSON object");
  h.json = std::move(*j);
  return h;
}

// The entry's dtype, shape and offsets against the definition's; the byte range in the file.
Expected<std::pair<uint64_t, uint64_t>> CheckEntry(const Header& h, const std::string& path,
                                                   const std::string& key, DType dtype,
                                                   const std::vector<long long>& shape,
                                                   uint64_t file_size) {
  std::string name = "tensor '" + Printable(key) + "'";
  if (!h.json.contains(key)) return At(path, 8, "no " + name + " in the header");
  const Json& e = h.json[key];
  if (!e.is_object()) return At(path, 8, name + ": entry is not an object");
  std::string got = JsonString(e, "dtype", "");
  if (got != SafetensorsDType(dtype)) {
    return At(path, 8, name + " has dtype '" + Printable(got) + "', the definition says " +
                           SafetensorsDType(dtype));
  }
  bool shape_ok = e.contains("shape") && e["shape"].is_array() && e["shape"].size() == shape.size();
  for (size_t i = 0; shape_ok && i < shape.size(); ++i) {
    shape_ok = e["shape"][i].is_number_integer() && e["shape"][i].get<long long>() == shape[i];
  }
  if (!shape_ok) {
    return At(path, 8, name + " has shape " + DumpJson(e.value("shape", Json()), -1).substr(0, 100) +
                           ", the definition says " + DumpJson(Json(shape), -1));
  }
  const Json& off = e.value("data_offsets", Json());
  if (!off.is_array() || off.size() != 2 || !off[0].is_number_unsigned() ||
      !off[1].is_number_unsigned()) {
    return At(path, 8, name + ": data_offsets is not [begin, end]");
  }
  uint64_t begin = off[0].get<uint64_t>(), end = off[1].get<uint64_t>();
  uint64_t numel = 1;
  for (long long d : shape) numel *= static_cast<uint64_t>(d);  // sizes checked by Concretize
  uint64_t want = numel * DTypeSize(dtype);
  if (begin > end || end > file_size - h.data_start || end - begin != want) {
    return At(path, h.data_start + std::min(begin, file_size),
              StrFormat("%s: data_offsets [%llu, %llu] are not %llu bytes inside the file's "
                        "%llu data bytes", name.c_str(), (unsigned long long)begin,
                        (unsigned long long)end, (unsigned long long)want,
                        (unsigned long long)(file_size - h.data_start)));
  }
  return std::make_pair(h.data_start + begin, want);
}

}  // namespace

Expected<std::string> ReadSafetensorsTensor(const std::string& path, const std::string& key,
                                            DType dtype, const std::vector<long long>& shape,
                                            uint64_t max_bytes) {
  // O_NONBLOCK: a FIFO named by the workload must not block the parent before fstat refuses it.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return NotFoundError(std::string("cannot open: ") + std::strerror(errno), {path});
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    return InvalidArgumentError("not a regular file", {path, 0, 0});
  }
  uint64_t size = static_cast<uint64_t>(st.st_size);
  REFEREE_ASSIGN_OR_RETURN(Header h, ReadHeader(fd, path, size));
  REFEREE_ASSIGN_OR_RETURN(auto range, CheckEntry(h, path, key, dtype, shape, size));
  if (range.second > max_bytes) {
    return At(path, range.first, "tensor '" + Printable(key) + "' is larger than the budget");
  }
  std::string data(range.second, '\0');
  REFEREE_RETURN_IF_ERROR(ReadExactly(fd, path, range.first, data.data(), range.second));
  return data;
}

}  // namespace referee::harness
