// Everything the sandboxed processes need, computed by the trusted parent *before* clone.
// Between clone and execve the children only walk these structures and make system calls:
// they never allocate, lock or throw (STYLE.md; sandbox2 raw log, nsjail's error byte).
// That is why the child-side layer functions return a ChildError instead of a Status (whose
// message is a heap string).
#pragma once

#include <linux/filter.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace referee::sandbox::internal {

// A failure in a child: the step (a string literal) and errno. err == 0 means success.
struct ChildError {
  const char* step = nullptr;
  int err = 0;
  const char* detail = nullptr;  // e.g. the path involved (points into the plan)
  bool ok() const { return err == 0; }
};
inline ChildError ChildOk() { return {}; }
ChildError ChildFail(const char* step, const char* detail = nullptr);  // reads errno

// Fixed-size record written by the children to the report pipe in one write(2).
struct ReportRecord {
  enum Kind : int32_t { kSetupFailed = 1, kExited = 2 };
  int32_t kind = 0;
  int32_t err = 0;
  int32_t wait_status = 0;
  int32_t payload_pid = 0;
  int32_t leftover = 0;  // processes init had to kill when the payload exited
  int64_t cpu_us = 0;
  int64_t maxrss_kb = 0;
  char step[96] = {};
  char detail[160] = {};
};

// Writes one record (async-signal-safe; no allocation).
void WriteReport(int fd, const ReportRecord& record);
void WriteSetupFailure(int fd, const ChildError& error);

struct MountOp {
  enum Kind {
    kMkdir,       // target (mode 0755)
    kTouch,       // target: an empty file to bind a file onto
    kBind,        // source -> target, MS_BIND|MS_REC, then read-only unless `writable`
    kTmpfs,       // target, data = mount options, flags = mount flags
    kSymlink,     // target -> source
    kWriteFile,   // target with contents `data` (mode 0644)
  };
  Kind kind = kMkdir;
  std::string source;
  std::string target;
  std::string data;
  unsigned long flags = 0;
  bool writable = false;
  bool device = false;  // a device node: keep dev access (no MOUNT_ATTR_NODEV)
};

struct MountPlan {
  bool enabled = true;
  std::string root_tmpfs_options;  // e.g. "size=16m,mode=0755"
  std::vector<MountOp> ops;        // paths relative to the new root ("/usr", not "/newroot/usr")
  // Prefixed forms of every op path, filled by Finalize(): "/oldroot/usr", "/newroot/usr".
  std::vector<std::string> host_paths;
  std::vector<std::string> new_paths;
  std::vector<std::string> scratch_dirs;  // created after pivot (HOME, TMPDIR, caches)
};

struct LandlockRule {
  std::string path;      // inside the sandbox
  uint64_t access = 0;   // LANDLOCK_ACCESS_FS_* (already masked to what the ABI handles)
};

struct LandlockPlan {
  bool enabled = false;
  int abi = 0;
  uint64_t handled_fs = 0;
  uint64_t handled_net = 0;
  uint64_t scoped = 0;
  std::vector<LandlockRule> rules;
};

struct SeccompPlan {
  bool enabled = false;
  std::vector<sock_filter> allow_program;  // default ENOSYS, allow-list (no listener)
  std::vector<sock_filter> deny_program;   // default ALLOW, denials -> USER_NOTIF (listener)
};

struct RlimitSetting {
  int resource;
  rlim_t value;
};

struct ChildPlan {
  // Namespaces (flags actually used by clone/unshare).
  bool user_ns = true;
  bool cgroup_ns = true;
  bool uts_ns = true;
  bool net_ns = true;
  MountPlan mounts;
  LandlockPlan landlock;
  SeccompPlan seccomp;
  std::vector<RlimitSetting> rlimits;
  bool drop_caps = true;
  bool no_new_privs = true;

  // Process start.
  std::string exec_path;
  std::vector<std::string> argv_storage;
  std::vector<std::string> env_storage;
  std::vector<char*> argv;  // NULL-terminated views of the storage
  std::vector<char*> envp;
  std::string working_dir;

  // fds (set by the supervisor just before clone).
  int sync_read_fd = -1;     // init waits for one byte: id maps and cgroup are ready
  int report_write_fd = -1;  // ReportRecords to the parent
  int stdout_write_fd = -1;
  int stderr_write_fd = -1;
  int notify_send_fd = -1;   // AF_UNIX end that carries the seccomp listener to the parent
  std::vector<int> inherited_fds;
  std::vector<unsigned> keep_fds_sorted;  // all of the above, for close_range in init
};

// Fills argv/envp views and keep_fds_sorted; call once all storage is final.
void FinalizePlan(ChildPlan& plan);

}  // namespace referee::sandbox::internal
