// The attack suite (sandbox.md §8; STYLE.md "Sandbox attacks"): each program under attacks/
// attempts one forbidden act inside the sandbox and prints what the kernel answered; these
// tests assert the exact RunResult (status, stdout, reported violations). Every test runs as
// root and as an unprivileged user (uid 65534, through a forked helper), where the host allows.
#include <fcntl.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "referee/base/json.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox {
namespace {

constexpr uint32_t kNobody = 65534;

struct Config {
  const char* name;
  bool unprivileged;
};

std::string AttackDir() { return REFEREE_ATTACK_DIR; }

RunResult FromJson(const Json& j) {
  RunResult r;
  std::string status = j["status"];
  for (RunStatus s : {RunStatus::kOk, RunStatus::kSetupError, RunStatus::kViolation,
                      RunStatus::kSignaled, RunStatus::kTimeout, RunStatus::kOom,
                      RunStatus::kExitNonZero, RunStatus::kStopped}) {
    if (RunStatusName(s) == status) r.status = s;
  }
  r.reason = j["reason"];
  r.exit_code = j["exit_code"];
  r.signal = j["signal"];
  r.timed_out = j["timed_out"];
  r.wall_time_s = j["wall_time_s"];
  r.cpu_time_s = j["cpu_time_s"];
  r.peak_memory_bytes = j["peak_memory_bytes"];
  r.oom = j["oom"];
  r.terminated = j["terminated"];
  r.leftover_processes = j["leftover_processes"];
  r.stopped = j["stopped"];
  for (const Json& v : j["violations"]) {
    r.violations.push_back({v["syscall"], v["args"].get<std::vector<uint64_t>>(), v["count"]});
  }
  r.stdout_data = j["stdout"];
  r.stderr_data = j["stderr"];
  r.stdout_truncated = j["stdout_truncated"];
  r.stderr_truncated = j["stderr_truncated"];
  return r;
}

// Runs Run() in a forked child that dropped to uid/gid 65534 and returns its result.
Expected<RunResult> RunAsNobody(const Policy& policy, const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe(fds) != 0) return InternalError("pipe");
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    if (setgroups(0, nullptr) != 0 || setresgid(kNobody, kNobody, kNobody) != 0 ||
        setresuid(kNobody, kNobody, kNobody) != 0) {
      _exit(3);
    }
    // Changing credentials made us non-dumpable, which would leave /proc/<child>/uid_map
    // owned by root; an unprivileged caller that never was root does not have this problem.
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    Policy p = policy;
    p.sandbox_uid = kNobody;
    p.sandbox_gid = kNobody;
    Expected<RunResult> r = Run(p, argv);
    std::string text = r ? DumpJson(RunResultToJson(*r), -1) : "ERROR " + r.error().message();
    size_t off = 0;
    while (off < text.size()) {
      ssize_t n = write(fds[1], text.data() + off, text.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[65536];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof(buf))) > 0) text.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status;
  waitpid(pid, &status, 0);
  if (text.rfind("ERROR ", 0) == 0) return InternalError(text.substr(6));
  Expected<Json> j = ParseJson(text, "<child>");
  if (!j) return InternalError("unprivileged helper: " + text.substr(0, 200));
  return FromJson(*j);
}

std::vector<std::string> Names(const RunResult& r) {
  std::vector<std::string> names;
  for (const Violation& v : r.violations) names.push_back(v.syscall);
  return names;
}

// Whether uid 65534 can reach `path` (every ancestor searchable by others).
bool ReachableByOthers(const std::string& path) {
  std::filesystem::path p;
  for (const auto& part : std::filesystem::path(path)) {
    p /= part;
    struct stat st;
    if (stat(p.c_str(), &st) != 0 || (S_ISDIR(st.st_mode) && !(st.st_mode & S_IXOTH))) {
      return false;
    }
  }
  return true;
}

class AttackTest : public ::testing::TestWithParam<Config> {
 protected:
  void SetUp() override {
    if (GetParam().unprivileged && getuid() != 0) GTEST_SKIP() << "needs root to drop to 65534";
    if (GetParam().unprivileged && !ReachableByOthers(AttackDir())) {
      GTEST_SKIP() << AttackDir() << " is not reachable by uid 65534 (a private build dir)";
    }
    const HostReport& host = HostSupport();
    for (const LayerSupport& s : host.layers) {
      if (!s.available && s.layer != Layer::kCgroupLimits) {
        GTEST_SKIP() << "layer " << LayerName(s.layer) << " unavailable: " << s.detail;
      }
    }
    char tmpl[] = "/tmp/referee-attack-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    host_dir_ = tmpl;
    chmod(host_dir_.c_str(), 0755);
  }
  void TearDown() override {
    if (!host_dir_.empty()) std::filesystem::remove_all(host_dir_);
  }

  // Profile kKernel with the attack binaries bound read-only at /attacks.
  PolicyBuilder Builder(Profile profile = Profile::kKernel) {
    PolicyBuilder b(profile);
    b.AddBind({AttackDir(), "/attacks"}).SetWallTime(20).SetMemory(512ull << 20).SetPids(64);
    b.AllowDegraded(Layer::kCgroupLimits,
                    WeakensIsolation::Because("unprivileged hosts have no delegated cgroup"));
    return b;
  }

  RunResult RunWith(PolicyBuilder& b, const std::vector<std::string>& argv) {
    Expected<Policy> policy = b.Build();
    EXPECT_TRUE(policy.has_value()) << policy.error().ToString();
    Expected<RunResult> r = GetParam().unprivileged ? RunAsNobody(*policy, argv)
                                                    : sandbox::Run(*policy, argv);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    return r ? *r : RunResult{};
  }

  RunResult RunAttack(const std::string& name, std::vector<std::string> args = {},
                      Profile profile = Profile::kKernel) {
    PolicyBuilder b = Builder(profile);
    args.insert(args.begin(), "/attacks/" + name);
    return RunWith(b, args);
  }

  bool CgroupLimits() {
    if (GetParam().unprivileged) return false;
    for (const LayerSupport& s : HostSupport().layers) {
      if (s.layer == Layer::kCgroupLimits) return s.available;
    }
    return false;
  }

  std::string host_dir_;
};

// One row: the program, what it prints, and the violations the parent must have recorded.
// Rows that need a second process or a socket run under the python profile (the kernel
// profile forbids both: SpawnAndSocketsFollowTheProfile).
struct Row {
  const char* attack;
  const char* expected_stdout;
  std::vector<std::string> violations;
  Profile profile = Profile::kKernel;
};

void ExpectRow(const RunResult& r, const Row& row) {
  EXPECT_EQ(r.stdout_data, row.expected_stdout) << row.attack << " stderr: " << r.stderr_data;
  EXPECT_EQ(Names(r), row.violations) << row.attack;
  if (row.violations.empty()) {
    EXPECT_EQ(r.status, RunStatus::kOk) << row.attack << ": " << r.reason;
  } else {
    EXPECT_EQ(r.status, RunStatus::kViolation) << row.attack << ": " << r.reason;
    EXPECT_EQ(r.reason, "forbidden system call: " + row.violations.front());
  }
}

const std::vector<Row>& DeniedRows() {
  static const std::vector<Row> rows = {
      {"socket_inet", "socket(AF_INET): EPERM\n", {"socket"}},
      {"socket_inet6", "socket(AF_INET6): EPERM\n", {"socket"}},
      {"socket_packet", "socket(AF_PACKET): EPERM\n", {"socket"}},
      {"socket_netlink", "socket(AF_NETLINK): EPERM\n", {"socket"}},
      {"socket_vsock", "socket(AF_VSOCK): EPERM\n", {"socket"}},
      {"socket_alg", "socket(AF_ALG): EPERM\n", {"socket"}},
      {"io_uring", "io_uring_setup: EPERM\n", {"io_uring_setup"}},
      {"ptrace_traceme", "ptrace(TRACEME): EPERM\n", {"ptrace"}},
      {"ptrace_attach_init", "ptrace(ATTACH, 1): EPERM\n", {"ptrace"}},
      {"process_vm_readv", "process_vm_readv(1): EPERM\n", {"process_vm_readv"}},
      {"unshare_user", "unshare(CLONE_NEWUSER): EPERM\n", {"unshare"}},
      {"clone_newuser", "clone(CLONE_NEWUSER): EPERM\n", {"clone"}},
      {"setns", "setns: EPERM\n", {"setns"}},
      {"chroot", "chroot: EPERM\n", {"chroot"}},
      {"mount", "mount: EPERM\n", {"mount"}},
      {"umount", "umount2: EPERM\n", {"umount2"}},
      {"new_mount_api", "fsopen: EPERM\nopen_tree: EPERM\nmove_mount: EPERM\n",
       {"fsopen", "open_tree", "move_mount"}},
      {"pivot_root", "pivot_root: EPERM\n", {"pivot_root"}},
      {"mknod", "mknod(1:1): EPERM\nmknod(195:1): EPERM\n", {"mknodat"}},
      {"tiocsti", "ioctl(TIOCSTI): EPERM\nioctl(TIOCSTI|high): EPERM\n", {"ioctl"}},
      {"bpf", "bpf: EPERM\n", {"bpf"}},
      {"perf_event_open", "perf_event_open: EPERM\n", {"perf_event_open"}},
      {"userfaultfd", "userfaultfd: EPERM\n", {"userfaultfd"}},
      {"keyctl", "add_key: EPERM\nkeyctl: EPERM\n", {"add_key", "keyctl"}},
      {"personality",
       "personality(READ_IMPLIES_EXEC): EPERM\npersonality(ADDR_NO_RANDOMIZE): EPERM\n"
       "personality(query): ok\n",
       {"personality"}},
      {"memfd_exec", "memfd_create: ok\nexecveat(AT_EMPTY_PATH): EPERM\n", {"execveat"}},
      {"child_inherits", "worker socket(AF_INET): EPERM\n", {"socket"}, Profile::kPython},
      {"seccomp_listener", "seccomp(NEW_LISTENER): EPERM\nprctl(PR_SET_SECCOMP): EPERM\n",
       {"seccomp", "prctl"}},
      {"deny_sweep",
       "kcmp: EPERM\npidfd_open: EPERM\npidfd_getfd: EPERM\nname_to_handle_at: EPERM\n"
       "kexec_load: EPERM\ninit_module: EPERM\niopl: EPERM\nioperm: EPERM\nswapon: EPERM\n"
       "reboot: EPERM\nsyslog: EPERM\nacct: EPERM\nsettimeofday: EPERM\nclock_settime: EPERM\n"
       "sethostname: EPERM\n",
       {"kcmp", "pidfd_open", "pidfd_getfd", "name_to_handle_at", "kexec_load", "init_module",
        "iopl", "ioperm", "swapon", "reboot", "syslog", "acct", "settimeofday",
        "clock_settime", "sethostname"}},
  };
  return rows;
}

// Outcomes decided by other layers than seccomp (nothing to report: the act simply fails).
const std::vector<Row>& ContainedRows() {
  static const std::vector<Row> rows = {
      {"proc_mem_init", "open(/proc/1/mem): EACCES\n", {}},
      {"kill_init", "kill(1, SIGKILL): EPERM\nkill(-1, SIGKILL): ESRCH\n", {}},
      {"clone3", "clone3(CLONE_NEWUSER): ENOSYS\npthread_create: ok\n", {}},
      {"dev_nodes_absent",
       "/dev/nvidia0: ENOENT\n/dev/nvidia1: ENOENT\n/dev/nvidiactl: ENOENT\n"
       "/dev/nvidia-modeset: ENOENT\n/dev/mem: ENOENT\n/dev/kmsg: ENOENT\n/dev/sda: ENOENT\n",
       {}},
      {"exec_scratch", "copy: ok\nexecve(/scratch/mytrue): EACCES\n", {}},
      {"write_usr",
       "open(/usr/x, O_CREAT): EROFS\nopen(/usr/bin/true, O_WRONLY): EACCES\n"
       "symlink(/usr/evil): EROFS\nlink(/usr/bin/true -> scratch): EXDEV\n"
       "rename(scratch -> /tmp): EXDEV\nopen(/etc/passwd, O_WRONLY): EROFS\n"
       "mkdir(/newdir): EROFS\n",
       {}},
      {"proc_sys_write",
       "open(/proc/sys/kernel/hostname, O_WRONLY): EACCES\n"
       "open(/proc/sysrq-trigger, O_WRONLY): ENOENT\n"
       "open(/proc/sys/vm/drop_caches, O_WRONLY): EACCES\n"
       "open(/sys/kernel/mm/transparent_hugepage/enabled, O_WRONLY): ENOENT\n"
       "open(/sys/devices/system/cpu/online, O_WRONLY): EACCES\n",
       {}},
      // Positive controls: what CUDA, PyTorch and the compilers need keeps working.
      {"threads", "pthread_create: ok\npthread_create: ok\npthread_create: ok\n"
                  "pthread_create: ok\n", {}},
      {"pipes", "pipe: ok\nread from child: ok\n", {}, Profile::kPython},
      {"stdio", "read(stdin): ok\nfcntl(0): ok\nwrite(stderr): ok\n", {}},
      {"unix_sockets", "socketpair(AF_UNIX): ok\nsocket(AF_UNIX): ok\nbind(abstract): ok\n"
                       "listen: ok\nconnect(abstract): ok\n", {}, Profile::kPython},
      {"proc_self", "open(/proc/self/status): ok\nopen(/proc/self/maps): ok\n"
                    "open(comm, O_TRUNC): ok\nwrite(comm): ok\neventfd2: ok\npid: 2\n", {}},
      {"scratch_write",
       "/scratch/f: ok\n/tmp/f: ok\n/dev/shm/f: ok\n/scratch/tmp/f: ok\n"
       "mmap(PROT_EXEC, scratch): ok\nHOME=/scratch TMPDIR=/scratch/tmp "
       "TRITON_CACHE_DIR=/scratch/.triton TORCHINDUCTOR_CACHE_DIR=/scratch/.inductor\n",
       {}},
      {"namespaces_view",
       "hostname: referee\npid: 2\niface: lo\ninterfaces: 1\ncgroups not at /: 0\n"
       "CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\n",
       {}},
  };
  return rows;
}

TEST_P(AttackTest, DeniedSyscallsAreRefusedAndReported) {
  for (const Row& row : DeniedRows()) {
    RunResult r = RunAttack(row.attack, {}, row.profile);
    ExpectRow(r, row);
    for (const Violation& v : r.violations) {
      EXPECT_EQ(v.args.size(), 6u) << row.attack;
      EXPECT_GE(v.count, 1) << row.attack;
    }
  }
}

TEST_P(AttackTest, OtherLayersContainWhatSeccompAllows) {
  for (const Row& row : ContainedRows()) ExpectRow(RunAttack(row.attack, {}, row.profile), row);
}

// One filter per profile (docs/sandbox.md): a prebuilt kernel runner may start no process and
// make no socket; a compiler may fork and exec but make no socket; Python workers may do both
// (AF_UNIX only).
TEST_P(AttackTest, SpawnAndSocketsFollowTheProfile) {
  ExpectRow(RunAttack("spawn", {}, Profile::kKernel),
            {"spawn", "fork: EPERM\nposix_spawn: EPERM\nsocket(AF_UNIX): EPERM\n",
             {"clone", "socket"}});
  ExpectRow(RunAttack("spawn", {}, Profile::kBuild),
            {"spawn", "fork: ok\nposix_spawn: ok\nsocket(AF_UNIX): EPERM\n", {"socket"}});
  ExpectRow(RunAttack("spawn", {}, Profile::kPython),
            {"spawn", "fork: ok\nposix_spawn: ok\nsocket(AF_UNIX): ok\n", {}});
  // Threads stay allowed everywhere (clone with CLONE_THREAD).
  ExpectRow(RunAttack("threads", {}, Profile::kKernel),
            {"threads", "pthread_create: ok\npthread_create: ok\npthread_create: ok\n"
                        "pthread_create: ok\n", {}});
}

TEST_P(AttackTest, ViolationCountsRepeatedAttempts) {
  RunResult r = RunAttack("mknod");
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].count, 2);
  EXPECT_EQ(r.violations[0].args[2], static_cast<uint64_t>(S_IFCHR | 0600));  // mknodat mode
}

// Whether this kernel runs i386 system calls at all: with IA32 emulation off (a kernel built
// or booted without it) `int 0x80` faults with SIGSEGV before any filter sees it.
bool HostRunsInt80() {
  pid_t pid = fork();
  if (pid == 0) {
    long rc;
    asm volatile("int $0x80" : "=a"(rc) : "a"(20) : "memory");  // getpid
    _exit(rc > 0 ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST_P(AttackTest, ForeignArchitecturesAreKilled) {
  for (const char* attack : {"int80", "x32"}) {
    RunResult r = RunAttack(attack);
    EXPECT_EQ(r.stdout_data, "") << attack;  // never reached the report
    if (std::string(attack) == "int80" && !HostRunsInt80()) {
      // The kernel refuses the call itself: it never reaches the filter, nothing to report.
      EXPECT_EQ(r.signal, SIGSEGV) << attack;
      continue;
    }
    EXPECT_EQ(r.status, RunStatus::kViolation) << attack;
    EXPECT_EQ(r.signal, SIGSYS) << attack;
    EXPECT_EQ(Names(r), std::vector<std::string>{"(non-native architecture)"}) << attack;
  }
}

TEST_P(AttackTest, HostFilesEnvironmentAndFdsAreOutOfReach) {
  std::string secret = host_dir_ + "/expected_output.bin";
  std::ofstream(secret) << "the reference answer";
  setenv("REFEREE_SECRET", "42", 1);
  int leaked = open(secret.c_str(), O_RDONLY);  // deliberately not close-on-exec
  RunResult r = RunAttack("host_files", {secret});
  close(leaked);
  unsetenv("REFEREE_SECRET");
  ExpectRow(r, {"host_files",
                "open(secret): ENOENT\nopen(/proc/1/root/secret): EACCES\n"
                "open(cwd/../../secret): ENOENT\nenv REFEREE_SECRET: absent\nfds above 2: 0\n",
                {}});
}

TEST_P(AttackTest, HostUnixSocketsAreUnreachable) {
  std::string name = "referee-test-" + std::to_string(getpid());
  int abstract_fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path + 1, name.data(), name.size());
  socklen_t len = static_cast<socklen_t>(sizeof(sa_family_t) + 1 + name.size());
  ASSERT_EQ(bind(abstract_fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(listen(abstract_fd, 1), 0);
  std::string path = host_dir_ + "/host.sock";
  int path_fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un paddr = {};
  paddr.sun_family = AF_UNIX;
  strncpy(paddr.sun_path, path.c_str(), sizeof(paddr.sun_path) - 1);
  ASSERT_EQ(bind(path_fd, reinterpret_cast<sockaddr*>(&paddr), sizeof(paddr)), 0);
  ASSERT_EQ(listen(path_fd, 1), 0);
  ExpectRow(RunAttack("unix_abstract_host", {name}, Profile::kPython),
            {"unix_abstract_host", "connect(abstract): ECONNREFUSED\n", {}});
  ExpectRow(RunAttack("unix_path_host", {path}, Profile::kPython),
            {"unix_path_host", "connect(path): ENOENT\n", {}});
  close(abstract_fd);
  close(path_fd);
}

TEST_P(AttackTest, HostSysvSharedMemoryIsInvisible) {
  key_t key = 0x52ef0000 + (getpid() & 0xffff);
  int id = shmget(key, 4096, IPC_CREAT | 0666);
  ASSERT_GE(id, 0);
  RunResult r = RunAttack("sysv_ipc", {std::to_string(key)});
  shmctl(id, IPC_RMID, nullptr);
  ExpectRow(r, {"sysv_ipc", "shmget(host key): ENOENT\n", {}});
}

TEST_P(AttackTest, FullScratchAndHugeFilesFailCleanly) {
  PolicyBuilder b = Builder();
  b.SetTmpfsSize(8 << 20);
  for (const char* path : {"/scratch/fill", "/tmp/fill", "/dev/shm/fill"}) {
    ExpectRow(RunWith(b, {"/attacks/fill_disk", path}),
              {"fill_disk", "write until full: ENOSPC\n", {}});
  }
  PolicyBuilder small = Builder();
  small.SetFileSize(1 << 20);
  ExpectRow(RunWith(small, {"/attacks/huge_file"}),
            {"huge_file", "write past RLIMIT_FSIZE: EFBIG\n", {}});
  // Without ignoring SIGXFSZ the writer is killed by it.
  EXPECT_EQ(RunWith(small, {"/attacks/fill_disk", "/scratch/fill"}).signal, SIGXFSZ);
}

TEST_P(AttackTest, ForkAndThreadBombsHitThePidsLimit) {
  PolicyBuilder b = Builder(Profile::kPython);
  b.SetPids(32);
  ExpectRow(RunWith(b, {"/attacks/fork_bomb"}),
            {"fork_bomb", "fork: EAGAIN\nforked before refusal: fewer than 64\n", {}});
  ExpectRow(RunWith(b, {"/attacks/thread_bomb"}),
            {"thread_bomb", "pthread_create: EAGAIN\nthreads before refusal: fewer than 64\n",
             {}});
}

TEST_P(AttackTest, MemoryBombIsOomKilled) {
  if (!CgroupLimits()) GTEST_SKIP() << "no cgroup memory limit for this user on this host";
  PolicyBuilder b = Builder();
  b.SetMemory(64ull << 20);
  RunResult r = RunWith(b, {"/attacks/memory_bomb"});
  EXPECT_EQ(r.status, RunStatus::kOom) << r.reason;
  EXPECT_TRUE(r.oom);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_GT(r.peak_memory_bytes, 32ull << 20);
}

TEST_P(AttackTest, WallClockKillsSpinnersAndStoppedProcesses) {
  PolicyBuilder b = Builder();
  b.SetWallTime(1.0);
  for (const char* attack : {"cpu_spin", "sigterm_stop"}) {
    RunResult r = RunWith(b, {std::string("/attacks/") + attack});
    EXPECT_EQ(r.status, RunStatus::kTimeout) << attack;
    EXPECT_TRUE(r.timed_out) << attack;
    EXPECT_EQ(r.signal, SIGKILL) << attack;
    EXPECT_GE(r.wall_time_s, 1.0) << attack;
  }
}

TEST_P(AttackTest, DaemonsDieWithTheRun) {
  std::string scratch = host_dir_ + "/scratch";
  ASSERT_EQ(mkdir(scratch.c_str(), 0755), 0);
  if (GetParam().unprivileged) ASSERT_EQ(chown(scratch.c_str(), kNobody, kNobody), 0);
  PolicyBuilder b = Builder(Profile::kPython);
  b.SetScratchDir(scratch);
  RunResult r = RunWith(b, {"/attacks/daemonize"});
  ExpectRow(r, {"daemonize", "parent exits\n", {}});
  EXPECT_EQ(r.leftover_processes, 1) << "init killed the daemon and must say so";
  auto read = [&] {
    std::ifstream in(scratch + "/daemon");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  std::string first = read();
  EXPECT_FALSE(first.empty()) << "the daemon never ran";
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // it wrote every 5 ms
  EXPECT_EQ(read(), first) << "a process outlived the sandbox";
}

// Limits::term_time_s (issue 13): SIGTERM reaches every process at the soft deadline, and a
// process that ignores it dies at the wall time.
TEST_P(AttackTest, SoftDeadlineTerminatesEveryProcess) {
  PolicyBuilder b = Builder(Profile::kPython);
  b.SetTermTime(0.5).SetWallTime(10);
  RunResult r = RunWith(b, {"/usr/bin/sh", "-c",
                            "trap 'echo term; exit 7' TERM; sleep 30 & wait; echo late"});
  EXPECT_TRUE(r.terminated);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 7) << r.reason << r.stderr_data;
  EXPECT_EQ(r.stdout_data, "term\n");
  EXPECT_EQ(r.leftover_processes, 0) << "the background sleep got SIGTERM too";
  EXPECT_LT(r.wall_time_s, 5.0);
}

TEST_P(AttackTest, IgnoringTheSoftDeadlineEndsAtTheWallTime) {
  PolicyBuilder b = Builder(Profile::kPython);
  b.SetTermTime(0.3).SetWallTime(1.2);
  RunResult r = RunWith(b, {"/usr/bin/sh", "-c", "trap '' TERM; while :; do :; done"});
  EXPECT_TRUE(r.terminated);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.status, RunStatus::kTimeout);
  EXPECT_GE(r.wall_time_s, 1.2);
}

TEST_P(AttackTest, ExitBeforeTheSoftDeadlineIsNotTerminated) {
  PolicyBuilder b = Builder(Profile::kPython);
  b.SetTermTime(5).SetWallTime(10);
  RunResult r = RunWith(b, {"/usr/bin/sh", "-c", "exit 0"});
  EXPECT_EQ(r.status, RunStatus::kOk) << r.reason;
  EXPECT_FALSE(r.terminated);
  EXPECT_EQ(r.leftover_processes, 0);
}

TEST_P(AttackTest, TermTimeMustBeBelowTheWallTime) {
  PolicyBuilder b = Builder(Profile::kPython);
  b.SetTermTime(10).SetWallTime(5);
  EXPECT_FALSE(b.Build().has_value());
}

TEST_P(AttackTest, TickHookStopsTheRun) {
  if (GetParam().unprivileged) GTEST_SKIP() << "hooks run in the caller; covered by root";
  PolicyBuilder b = Builder(Profile::kPython);
  b.SetWallTime(20);
  RunHooks hooks;
  hooks.tick_interval_s = 0.05;
  int ticks = 0;
  hooks.on_tick = [&](double elapsed) -> std::string {
    ++ticks;
    return elapsed > 0.3 ? "tripwire: the run touched the bait" : "";
  };
  Expected<RunResult> r = sandbox::Run(b.Build().value(), {"/usr/bin/sleep", "30"}, hooks);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, RunStatus::kStopped);
  EXPECT_TRUE(r->stopped);
  EXPECT_EQ(r->reason, "tripwire: the run touched the bait");
  EXPECT_GE(ticks, 5);
  EXPECT_LT(r->wall_time_s, 5.0);
}

TEST_P(AttackTest, OutputFloodIsCapped) {
  PolicyBuilder b = Builder();
  b.SetOutputCap(1 << 20);
  RunResult r = RunWith(b, {"/attacks/flood_output"});
  EXPECT_EQ(r.status, RunStatus::kOk) << r.reason;
  EXPECT_EQ(r.stdout_data.size(), 1u << 20);
  EXPECT_EQ(r.stderr_data.size(), 1u << 20);
  EXPECT_TRUE(r.stdout_truncated);
  EXPECT_TRUE(r.stderr_truncated);
}

TEST_P(AttackTest, NothingARunWritesIsVisibleToTheNext) {
  ExpectRow(RunAttack("leave_traces", {"write"}),
            {"leave_traces", "/tmp/mark: ok\n/dev/shm/mark: ok\n/scratch/mark: ok\n", {}});
  ExpectRow(RunAttack("leave_traces", {"check"}),
            {"leave_traces", "/tmp/mark: ENOENT\n/dev/shm/mark: ENOENT\n/scratch/mark: ENOENT\n",
             {}});
}

TEST_P(AttackTest, BuildProfileRunsTheCompilerButHidesHostFiles) {
  if (access("/usr/bin/g++", X_OK) != 0) GTEST_SKIP() << "no g++ on this host";
  std::string src = host_dir_ + "/src";
  ASSERT_EQ(mkdir(src.c_str(), 0755), 0);
  std::string secret = host_dir_ + "/reference.h";
  std::ofstream(secret) << "int reference = 42;\n";
  std::ofstream(src + "/ok.cc") << "#include <cstdio>\nint main() { std::puts(\"hi\"); }\n";
  std::ofstream(src + "/steal.cc") << "#include \"" << secret << "\"\nint main() {}\n";
  PolicyBuilder b(Profile::kBuild);
  b.AddBind({src, "/src"}).SetWallTime(60).AllowDegraded(
      Layer::kCgroupLimits, WeakensIsolation::Because("unprivileged hosts"));
  RunResult ok = RunWith(b, {"/usr/bin/g++", "-o", "/scratch/ok", "/src/ok.cc"});
  EXPECT_EQ(ok.status, RunStatus::kOk) << ok.reason << ok.stderr_data;
  EXPECT_TRUE(ok.violations.empty());
  RunResult steal = RunWith(b, {"/usr/bin/g++", "-c", "-o", "/scratch/s.o", "/src/steal.cc"});
  EXPECT_EQ(steal.status, RunStatus::kExitNonZero);
  EXPECT_NE(steal.stderr_data.find("reference.h: No such file or directory"), std::string::npos)
      << steal.stderr_data;
}

TEST_P(AttackTest, KernelProfileExecutesOnlyTheCommand) {
  PolicyBuilder b = Builder(Profile::kKernel);
  // env replaces itself with another program (no new process): Landlock refuses the exec.
  RunResult r = RunWith(b, {"/usr/bin/env", "/usr/bin/true"});
  EXPECT_EQ(r.status, RunStatus::kExitNonZero);
  EXPECT_EQ(r.exit_code, 126) << r.stderr_data;  // env's "Permission denied"
  // A shell cannot even start a child for it: the kernel profile's filter reports the attempt
  // (dash uses vfork; others fork or clone).
  r = RunWith(b, {"/usr/bin/sh", "-c", "/usr/bin/true; /usr/bin/true"});
  EXPECT_EQ(r.status, RunStatus::kViolation) << r.reason;
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_THAT(r.violations[0].syscall, ::testing::AnyOf("vfork", "fork", "clone"));
  PolicyBuilder p = Builder(Profile::kPython);
  EXPECT_EQ(RunWith(p, {"/usr/bin/sh", "-c", "/usr/bin/true"}).status, RunStatus::kOk);
}

TEST_P(AttackTest, ConcurrentRunsFromThreads) {
  // The harness calls Run() from several threads of one process at once.
  if (GetParam().unprivileged) GTEST_SKIP() << "covered by the root config";
  std::vector<std::thread> threads;
  std::vector<RunResult> results(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      PolicyBuilder b = Builder();
      b.SetSandboxIds(61000 + i, 61000 + i);
      Expected<RunResult> r = sandbox::Run(b.Build().value(), {"/attacks/socket_inet"});
      if (r) results[i] = *r;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const RunResult& r : results) {
    ExpectRow(r, {"socket_inet", "socket(AF_INET): EPERM\n", {"socket"}});
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, AttackTest,
                         ::testing::Values(Config{"root", false}, Config{"unprivileged", true}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace referee::sandbox
