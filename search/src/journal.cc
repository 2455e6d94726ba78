// Journal: opening, migrations, transactions, integrity, reconcile and salvage. The record
// reads and writes are in journal_records.cc.
#include "referee/search/journal.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "journal_schema.h"
#include "referee/base/strings.h"
#include "sqlite_db.h"

namespace referee::search {

double NowUnix() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

namespace {

constexpr int kKnownVersions = static_cast<int>(sizeof kMigrations / sizeof kMigrations[0]);
static_assert(kKnownVersions == kJournalSchemaVersion);

Expected<int> UserVersion(Db& db) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s, db.Prepare("PRAGMA user_version"));
  s->Reset();
  REFEREE_ASSIGN_OR_RETURN(bool row, s->Step());
  int v = row ? static_cast<int>(s->Int(0)) : 0;
  s->Reset();
  return v;
}

Status MakeDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return FailedPreconditionError(dir + ": cannot create: " + ec.message());
  return OkStatus();
}

}  // namespace

Journal::Journal(std::string dir, std::unique_ptr<Db> db, bool durable)
    : dir_(std::move(dir)), db_(std::move(db)), blobs_(dir_ + "/blobs", durable) {}

Journal::~Journal() = default;

Expected<std::unique_ptr<Journal>> Journal::Open(const std::string& dir,
                                                 const JournalOptions& options) {
  std::string path = dir + "/" + kDbName;
  struct stat st;
  bool exists = stat(path.c_str(), &st) == 0;
  if (!exists && !options.create) {
    return NotFoundError(path + ": no search journal here (run 'referee search init' first)");
  }
  if (exists && options.create) {
    return Status(StatusCode::kAlreadyExists, path + ": a search journal exists already");
  }
  if (options.create) REFEREE_RETURN_IF_ERROR(MakeDir(dir));
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(path, options.create));
  std::unique_ptr<Journal> j(new Journal(dir, std::move(db), options.durable));
  // WAL: readers (status, report) never block the writer; NORMAL syncs the WAL at checkpoints
  // only, which survives the death of the process (kill -9) but not of the machine.
  REFEREE_RETURN_IF_ERROR(j->db().Exec("PRAGMA journal_mode=WAL"));
  REFEREE_RETURN_IF_ERROR(
      j->db().Exec(options.durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  if (exists && options.check_integrity) REFEREE_RETURN_IF_ERROR(j->IntegrityCheck());
  REFEREE_RETURN_IF_ERROR(j->Migrate(options.max_version));
  return j;
}

Status Journal::IntegrityCheck() {
  Expected<Stmt*> s = db().Prepare("PRAGMA quick_check(3)");
  if (!s)
    return DataLossError(db().path() + ": the journal failed SQLite's integrity check (" +
                         s.error().message() + ")");
  (*s)->Reset();
  std::vector<std::string> problems;
  while (true) {
    Expected<bool> row = (*s)->Step();
    if (!row) {
      problems.push_back(row.error().message());
      break;
    }
    if (!*row) break;
    std::string line = (*s)->Text(0);
    if (line != "ok") problems.push_back(line);
  }
  (*s)->Reset();
  if (problems.empty()) return OkStatus();
  std::string first = problems.front();
  for (char& c : first)
    if (c == '\n') c = ' ';
  return DataLossError(db().path() + ": the journal failed SQLite's integrity check (" + first +
                       "); 'referee search resume --repair' salvages the readable rows");
}

Status Journal::Migrate(int max_version) {
  REFEREE_ASSIGN_OR_RETURN(int v, UserVersion(db()));
  if (v > kJournalSchemaVersion) {
    return FailedPreconditionError(StrFormat(
        "%s: journal schema version %d is newer than this referee's (%d); use a newer referee",
        db().path().c_str(), v, kJournalSchemaVersion));
  }
  for (; v < max_version; ++v) {
    Tx tx = Begin();
    REFEREE_RETURN_IF_ERROR(db().Exec(kMigrations[v]));
    REFEREE_RETURN_IF_ERROR(db().Exec(StrFormat("PRAGMA user_version=%d", v + 1)));
    REFEREE_RETURN_IF_ERROR(tx.Commit());
  }
  version_ = v;
  return OkStatus();
}

Journal::Tx::Tx(Journal* j) : j_(j) {
  outer_ = j_->tx_depth_ == 0;
  ++j_->tx_depth_;
  if (outer_) begin_error_ = j_->db().Exec("BEGIN IMMEDIATE");
}

Journal::Tx::Tx(Tx&& other) noexcept
    : j_(other.j_), outer_(other.outer_), done_(other.done_), begin_error_(other.begin_error_) {
  other.done_ = true;
  other.j_ = nullptr;
}

Journal::Tx::~Tx() {
  if (j_ == nullptr) return;
  if (!done_) {
    --j_->tx_depth_;
    if (outer_ && begin_error_.ok()) j_->db().Exec("ROLLBACK").IgnoreError();
  }
}

Status Journal::Tx::Commit() {
  if (done_) return InternalError("transaction committed twice");
  done_ = true;
  --j_->tx_depth_;
  if (!begin_error_.ok()) return begin_error_;
  if (!outer_) return OkStatus();
  Status s = j_->db().Exec("COMMIT");
  if (!s.ok()) j_->db().Exec("ROLLBACK").IgnoreError();
  return s;
}

Status Journal::SetMeta(const std::string& key, const std::string& value) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s,
                           db().Prepare("INSERT INTO meta(key, value) VALUES(?, ?) "
                                        "ON CONFLICT(key) DO UPDATE SET value=excluded.value"));
  return s->Bind(1, key).Bind(2, value).Run();
}

std::optional<std::string> Journal::GetMeta(const std::string& key) {
  Expected<Stmt*> s = db().Prepare("SELECT value FROM meta WHERE key=?");
  if (!s) return std::nullopt;
  (*s)->Bind(1, key);
  Expected<bool> row = (*s)->Step();
  std::optional<std::string> v;
  if (row && *row) v = (*s)->Text(0);
  (*s)->Reset();
  return v;
}

Expected<ReconcileReport> Journal::Reconcile(int max_attempts) {
  ReconcileReport r;
  double now = NowUnix();
  Tx tx = Begin();
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * lose, db().Prepare("UPDATE stages SET status='lost', ended=?, reason='interrupted: "
                                "the search process ended during this stage' "
                                "WHERE status='running'"));
  REFEREE_RETURN_IF_ERROR(lose->Bind(1, now).Run());
  r.stages_lost = db().Changes();
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * requeue, db().Prepare("UPDATE candidates SET status='queued', attempts=attempts+1 "
                                   "WHERE status='running' AND attempts+1 < ?"));
  REFEREE_RETURN_IF_ERROR(requeue->Bind(1, max_attempts).Run());
  r.requeued = db().Changes();
  REFEREE_ASSIGN_OR_RETURN(Stmt * lost,
                           db().Prepare("UPDATE candidates SET status='lost', attempts=attempts+1 "
                                        "WHERE status='running'"));
  REFEREE_RETURN_IF_ERROR(lost->Reset().Run());
  r.lost = db().Changes();
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * close, db().Prepare("UPDATE sessions SET ended=?, stop_reason='killed (no clean "
                                 "stop recorded)' WHERE ended IS NULL"));
  REFEREE_RETURN_IF_ERROR(close->Bind(1, now).Run());
  r.sessions_closed = db().Changes();
  REFEREE_RETURN_IF_ERROR(tx.Commit());
  return r;
}

namespace {

constexpr const char* kTables[] = {"meta",       "sessions", "threads",   "proposals",
                                   "candidates", "stages",   "decisions", "incidents"};

// Copies table `t` row by row (by rowid) from the attached damaged database: a row on an
// unreadable page is skipped, every other row kept.
int CopyRows(Db& db, const std::string& t) {
  int copied = 0;
  int64_t max_id = 0;
  Expected<Stmt*> m = db.Prepare("SELECT max(rowid) FROM old." + t);
  if (m) {
    (*m)->Reset();
    Expected<bool> row = (*m)->Step();
    if (row && *row) max_id = (*m)->Int(0);
    (*m)->Reset();
  }
  if (max_id <= 0) max_id = 1 << 20;  // the b-tree's right edge is unreadable: probe
  Expected<Stmt*> ins =
      db.Prepare("INSERT OR IGNORE INTO main." + t + " SELECT * FROM old." + t + " WHERE rowid=?");
  if (!ins) return 0;
  int misses = 0;
  for (int64_t id = 1; id <= max_id && misses < 5000; ++id) {
    Status s = (*ins)->Bind(1, id).Run();
    if (s.ok() && db.Changes() > 0) {
      ++copied;
      misses = 0;
    } else {
      ++misses;
    }
  }
  return copied;
}

}  // namespace

Expected<int> Journal::Salvage(const std::string& dir) {
  std::string path = dir + "/" + kDbName;
  std::string fresh = path + ".salvage";
  std::filesystem::remove(fresh);
  int version = kJournalSchemaVersion;
  {
    Expected<std::unique_ptr<Db>> old = Db::Open(path, false);
    if (old) {
      Expected<int> v = UserVersion(**old);
      if (v && *v >= 1 && *v <= kJournalSchemaVersion) version = *v;
    }
  }
  int copied = 0;
  {
    REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(fresh, true));
    for (int v = 0; v < version; ++v) REFEREE_RETURN_IF_ERROR(db->Exec(kMigrations[v]));
    REFEREE_RETURN_IF_ERROR(db->Exec(StrFormat("PRAGMA user_version=%d", version)));
    std::string attach = "ATTACH DATABASE '" + path + "' AS old";
    REFEREE_RETURN_IF_ERROR(db->Exec(attach));
    // Row by row in autocommit: a read of a damaged page may abort a surrounding transaction.
    REFEREE_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=OFF"));
    for (const char* t : kTables) copied += CopyRows(*db, t);
    db->Exec("DETACH DATABASE old").IgnoreError();
  }
  int n = 1;
  std::string kept;
  do {
    kept = StrFormat("%s.corrupt-%d", path.c_str(), n++);
  } while (std::filesystem::exists(kept));
  std::error_code ec;
  std::filesystem::rename(path, kept, ec);
  if (ec) return FailedPreconditionError(path + ": cannot move aside: " + ec.message());
  for (const char* suffix : {"-wal", "-shm"}) {
    std::filesystem::rename(path + suffix, kept + suffix, ec);
  }
  std::filesystem::rename(fresh, path, ec);
  if (ec) return FailedPreconditionError(fresh + ": cannot install: " + ec.message());
  return copied;
}

}  // namespace referee::search
