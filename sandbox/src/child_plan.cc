#include "child_plan.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace referee::sandbox::internal {

ChildError ChildFail(const char* step, const char* detail) {
  return ChildError{step, errno != 0 ? errno : EIO, detail};
}

void WriteReport(int fd, const ReportRecord& record) {
  if (fd < 0) return;
  ssize_t n;
  do {
    n = write(fd, &record, sizeof(record));
  } while (n < 0 && errno == EINTR);
}

void WriteSetupFailure(int fd, const ChildError& error) {
  ReportRecord record;
  record.kind = ReportRecord::kSetupFailed;
  record.err = error.err;
  if (error.step != nullptr) {
    size_t len = strnlen(error.step, sizeof(record.step) - 1);
    memcpy(record.step, error.step, len);
  }
  if (error.detail != nullptr) {
    size_t len = strnlen(error.detail, sizeof(record.detail) - 1);
    memcpy(record.detail, error.detail, len);
  }
  WriteReport(fd, record);
}

void FinalizePlan(ChildPlan& plan) {
  plan.argv.clear();
  for (std::string& s : plan.argv_storage) plan.argv.push_back(s.data());
  plan.argv.push_back(nullptr);
  plan.envp.clear();
  for (std::string& s : plan.env_storage) plan.envp.push_back(s.data());
  plan.envp.push_back(nullptr);

  MountPlan& m = plan.mounts;
  m.host_paths.clear();
  m.new_paths.clear();
  for (const MountOp& op : m.ops) {
    m.host_paths.push_back(op.kind == MountOp::kBind ? "/oldroot" + op.source : op.source);
    m.new_paths.push_back("/newroot" + op.target);
  }

  std::vector<unsigned> keep;
  for (int fd : {plan.sync_read_fd, plan.report_write_fd, plan.stdout_write_fd,
                 plan.stderr_write_fd, plan.notify_send_fd}) {
    if (fd >= 0) keep.push_back(static_cast<unsigned>(fd));
  }
  for (int fd : plan.inherited_fds) keep.push_back(static_cast<unsigned>(fd));
  std::sort(keep.begin(), keep.end());
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  plan.keep_fds_sorted = std::move(keep);
}

}  // namespace referee::sandbox::internal
