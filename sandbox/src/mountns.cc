#include "mountns.h"

#include <fcntl.h>
#include <glob.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <vector>

#include "referee/base/strings.h"

namespace referee::sandbox::internal::mountns {
namespace {

constexpr const char kPasswd[] =
    "root:x:0:0:sandbox:/scratch:/bin/sh\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
constexpr const char kGroup[] = "root:x:0:\nnogroup:x:65534:\n";
constexpr const char kNsswitch[] = "passwd: files\ngroup: files\nhosts: files\n";
constexpr const char kHosts[] = "127.0.0.1 localhost\n::1 localhost\n";

// /etc entries bound read-only when the host has them (the loader, alternatives for cc/c++,
// NVIDIA application profiles, Python's per-version config).
constexpr const char* kEtcBinds[] = {"/etc/ld.so.cache", "/etc/ld.so.conf",
                                     "/etc/ld.so.conf.d", "/etc/localtime",
                                     "/etc/alternatives", "/etc/nvidia"};

class PlanWriter final {
 public:
  explicit PlanWriter(MountPlan& plan) : plan_(plan) { made_.insert("/"); }

  void Mkdir(const std::string& target) {
    if (made_.count(target)) return;
    Parents(target);
    made_.insert(target);
    plan_.ops.push_back({MountOp::kMkdir, "", target, ""});
  }
  // Binds a host file or directory, creating the mount point of the matching type.
  void Bind(const std::string& given, const std::string& target, bool writable, bool device) {
    // The child resolves sources under /oldroot, where absolute symlinks would point into the
    // wrong tree: resolve them here (/etc/localtime -> /usr/share/zoneinfo/...).
    char resolved[PATH_MAX];
    std::string source = realpath(given.c_str(), resolved) != nullptr ? resolved : given;
    struct stat st;
    bool is_dir = stat(source.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    if (is_dir) {
      Mkdir(target);
    } else {
      Parents(target);
      plan_.ops.push_back({MountOp::kTouch, "", target, ""});
    }
    MountOp op{MountOp::kBind, source, target, ""};
    op.writable = writable;
    op.device = device;
    plan_.ops.push_back(op);
  }
  void Tmpfs(const std::string& target, const std::string& options, unsigned long flags) {
    Mkdir(target);
    MountOp op{MountOp::kTmpfs, "", target, options};
    op.flags = flags;
    plan_.ops.push_back(op);
  }
  void Symlink(const std::string& link_target, const std::string& path) {
    Parents(path);
    plan_.ops.push_back({MountOp::kSymlink, link_target, path, ""});
  }
  void WriteFile(const std::string& target, const std::string& contents) {
    Parents(target);
    plan_.ops.push_back({MountOp::kWriteFile, "", target, contents});
  }

 private:
  void Parents(const std::string& path) {
    size_t slash = path.rfind('/');
    if (slash == 0 || slash == std::string::npos) return;
    Mkdir(path.substr(0, slash));
  }
  MountPlan& plan_;
  std::set<std::string> made_;
};

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// /bin, /lib, ... are symlinks into /usr on merged-/usr systems; copy them as they are.
void AddTopLevel(PlanWriter& w) {
  w.Bind("/usr", "/usr", false, false);
  for (const char* name : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    struct stat st;
    if (lstat(name, &st) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      char buf[256];
      ssize_t n = readlink(name, buf, sizeof(buf) - 1);
      if (n > 0) w.Symlink(std::string(buf, static_cast<size_t>(n)), name);
    } else if (S_ISDIR(st.st_mode)) {
      w.Bind(name, name, false, false);
    }
  }
}

void AddEtc(PlanWriter& w) {
  w.Mkdir("/etc");
  w.WriteFile("/etc/passwd", kPasswd);
  w.WriteFile("/etc/group", kGroup);
  w.WriteFile("/etc/nsswitch.conf", kNsswitch);
  w.WriteFile("/etc/hosts", kHosts);
  w.WriteFile("/etc/hostname", "referee\n");
  for (const char* path : kEtcBinds) {
    if (Exists(path)) w.Bind(path, path, false, false);
  }
  glob_t g;
  if (glob("/etc/python3*", 0, nullptr, &g) == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) w.Bind(g.gl_pathv[i], g.gl_pathv[i], false, false);
  }
  globfree(&g);
}

void AddDev(PlanWriter& w, const MountnsPolicy& p) {
  w.Tmpfs("/dev", "size=64k,mode=0755", MS_NOSUID | MS_NOEXEC);
  for (const char* node : {"null", "zero", "full", "random", "urandom"}) {
    w.Bind(std::string("/dev/") + node, std::string("/dev/") + node, true, true);
  }
  w.Symlink("/proc/self/fd", "/dev/fd");
  w.Symlink("/proc/self/fd/0", "/dev/stdin");
  w.Symlink("/proc/self/fd/1", "/dev/stdout");
  w.Symlink("/proc/self/fd/2", "/dev/stderr");
  const Limits& l = p.policy->limits;
  w.Tmpfs("/dev/shm", StrFormat("size=%llu,mode=1777", (unsigned long long)l.tmpfs_bytes),
          MS_NOSUID | MS_NODEV);
  for (const std::string& node : p.gpu_nodes) w.Bind(node, node, true, true);
}

// The child binds as the sandbox user: when that is not the caller (root running the
// sandbox under its own ids), every directory on the way to a bind source must be searchable
// by it, or the bind fails inside the child. Checked here so the error names the directory.
Status CheckReachable(const std::string& source, uint32_t uid, uint32_t gid) {
  if (uid == getuid()) return OkStatus();
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::is_directory(source, ec)
                                  ? std::filesystem::path(source)
                                  : std::filesystem::path(source).parent_path();
  std::vector<std::filesystem::path> ancestors;
  for (std::filesystem::path d = dir; !d.empty(); d = d.parent_path()) {
    ancestors.push_back(d);
    if (d == d.root_path()) break;
  }
  for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
    struct stat st {};
    if (stat(it->c_str(), &st) != 0) continue;
    mode_t need = st.st_uid == uid ? S_IXUSR : st.st_gid == gid ? S_IXGRP : S_IXOTH;
    if ((st.st_mode & need) == 0) {
      return FailedPreconditionError(StrFormat(
          "bind source %s is not reachable by the sandbox user (uid %u): %s has mode %04o "
          "(make it searchable, e.g. chmod o+x, or place the files elsewhere)",
          source.c_str(), uid, it->c_str(), static_cast<unsigned>(st.st_mode & 07777)));
    }
  }
  return OkStatus();
}

}  // namespace

Expected<MountPlan> Plan(const MountnsPolicy& p) {
  const Policy& policy = *p.policy;
  MountPlan plan;
  plan.root_tmpfs_options = "size=16m,mode=0755";
  PlanWriter w(plan);
  AddTopLevel(w);
  if (policy.profile != Profile::kKernel && Exists("/opt")) w.Bind("/opt", "/opt", false, false);
  AddEtc(w);
  w.Mkdir("/proc");
  for (const std::string& dir : p.sys_dirs) w.Bind(dir, dir, false, false);
  AddDev(w, p);
  const Limits& l = policy.limits;
  std::string tmp_opts = StrFormat("size=%llu,mode=1777", (unsigned long long)l.tmpfs_bytes);
  w.Tmpfs("/tmp", tmp_opts, MS_NOSUID | MS_NODEV);
  if (policy.scratch_dir.empty()) {
    w.Tmpfs("/scratch", StrFormat("size=%llu,mode=0755", (unsigned long long)l.tmpfs_bytes),
            MS_NOSUID | MS_NODEV);
  } else {
    w.Bind(policy.scratch_dir, "/scratch", true, false);
  }
  if (!policy.data_dir.empty()) w.Bind(policy.data_dir, "/data", false, false);
  for (const Bind& b : policy.binds) {
    if (!Exists(b.source)) return NotFoundError("bind source does not exist: " + b.source);
    REFEREE_RETURN_IF_ERROR(CheckReachable(b.source, policy.sandbox_uid, policy.sandbox_gid));
    w.Bind(b.source, b.target, !b.read_only, false);
  }
  for (const char* d : {"/scratch/tmp", "/scratch/.cache", "/scratch/.triton",
                        "/scratch/.inductor", "/scratch/.nv"}) {
    plan.scratch_dirs.push_back(d);
  }
  return plan;
}

namespace {

int MountSetattr(const char* path, unsigned flags, uint64_t attr_set) {
  struct mount_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.attr_set = attr_set;
  return static_cast<int>(
      syscall(SYS_mount_setattr, AT_FDCWD, path, flags, &attr, sizeof(attr)));
}

ChildError ApplyOp(const MountOp& op, const char* host, const char* path) {
  switch (op.kind) {
    case MountOp::kMkdir:
      if (mkdir(path, 0755) != 0 && errno != EEXIST) return ChildFail("mkdir mount point", path);
      return ChildOk();
    case MountOp::kTouch: {
      int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) return ChildFail("create file mount point", path);
      close(fd);
      return ChildOk();
    }
    case MountOp::kBind: {
      if (mount(host, path, nullptr, MS_BIND | MS_REC, nullptr) != 0) return ChildFail("bind", path);
      uint64_t attr = MOUNT_ATTR_NOSUID;
      if (!op.writable) attr |= MOUNT_ATTR_RDONLY;
      if (!op.device) attr |= MOUNT_ATTR_NODEV;
      if (MountSetattr(path, AT_RECURSIVE, attr) != 0) return ChildFail("restrict bind mount", path);
      return ChildOk();
    }
    case MountOp::kTmpfs:
      if (mount("tmpfs", path, "tmpfs", op.flags, op.data.c_str()) != 0) {
        return ChildFail("mount tmpfs", path);
      }
      return ChildOk();
    case MountOp::kSymlink:
      if (symlink(op.source.c_str(), path) != 0) return ChildFail("symlink", path);
      return ChildOk();
    case MountOp::kWriteFile: {
      int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd < 0) return ChildFail("create generated file", path);
      ssize_t n = write(fd, op.data.data(), op.data.size());
      close(fd);
      if (n != static_cast<ssize_t>(op.data.size())) return ChildFail("write generated file", path);
      return ChildOk();
    }
  }
  return ChildOk();
}

}  // namespace

ChildError Apply(const MountPlan& plan) {
  // Nothing we mount may propagate back to the host.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return ChildFail("make / private");
  }
  // bubblewrap's two-step pivot: a base tmpfs on /tmp becomes the root so that the host tree
  // stays reachable under /oldroot (even /tmp sources) while /newroot is populated.
  if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755") != 0) {
    return ChildFail("mount base tmpfs");
  }
  if (mkdir("/tmp/oldroot", 0755) != 0 || mkdir("/tmp/newroot", 0755) != 0) {
    return ChildFail("mkdir base dirs");
  }
  if (syscall(SYS_pivot_root, "/tmp", "/tmp/oldroot") != 0) return ChildFail("pivot_root base");
  if (chdir("/") != 0) return ChildFail("chdir base");
  if (mount("tmpfs", "/newroot", "tmpfs", MS_NOSUID | MS_NODEV,
            plan.root_tmpfs_options.c_str()) != 0) {
    return ChildFail("mount root tmpfs");
  }
  for (size_t i = 0; i < plan.ops.size(); ++i) {
    ChildError e =
        ApplyOp(plan.ops[i], plan.host_paths[i].c_str(), plan.new_paths[i].c_str());
    if (!e.ok()) return e;
  }
  // A fresh procfs for the new pid namespace, mounted while the host's /proc is still in this
  // namespace (mount_too_revealing refuses it after the old root is gone).
  if (mount("proc", "/newroot/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    return ChildFail("mount /proc");
  }
  if (chdir("/newroot") != 0) return ChildFail("chdir new root");
  if (syscall(SYS_pivot_root, ".", ".") != 0) return ChildFail("pivot_root");
  if (umount2(".", MNT_DETACH) != 0) return ChildFail("detach old root");
  if (chdir("/") != 0) return ChildFail("chdir /");
  for (const std::string& dir : plan.scratch_dirs) {
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return ChildFail("mkdir scratch dir");
  }
  if (MountSetattr("/", 0, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID) != 0) {
    return ChildFail("remount / read-only");
  }
  return ChildOk();
}

}  // namespace referee::sandbox::internal::mountns
