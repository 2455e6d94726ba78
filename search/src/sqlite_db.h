// A thin RAII wrapper over the SQLite C API with errors as values (private to search/).
//
//   Expected<std::unique_ptr<Db>> db = Db::Open(path);
//   Stmt& s = (*db)->Prepare("INSERT INTO t(a) VALUES(?)");
//   s.Bind(1, 7); Status st = s.Run();
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "referee/base/expected.h"

struct sqlite3;
struct sqlite3_stmt;

namespace referee::search {

class Db;

// A cached prepared statement: Bind, then Step (rows) or Run (no rows); Reset happens at the
// next Bind(1, ...) or Run, so a statement is reusable.
class Stmt final {
 public:
  Stmt(Db* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Reset();
  Stmt& Bind(int index, int64_t value);
  Stmt& Bind(int index, double value);
  Stmt& Bind(int index, std::string_view value);
  Stmt& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Stmt& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Stmt& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Stmt& BindNull(int index);
  Stmt& Bind(int index, std::optional<double> value);
  // Expected<bool>: true with a row, false when done.
  Expected<bool> Step();
  Status Run();  // steps to completion, then resets

  int64_t Int(int col) const;
  double Real(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;
  std::optional<double> OptReal(int col) const;

 private:
  Db* db_;
  sqlite3_stmt* stmt_;
  Status bind_error_;
};

class Db final {
 public:
  // Opens (creating when asked) a database file in WAL mode with foreign keys on and a busy
  // timeout; errors name the file.
  static Expected<std::unique_ptr<Db>> Open(const std::string& path, bool create);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status Exec(std::string_view sql);
  Expected<Stmt*> Prepare(const std::string& sql);
  int64_t LastInsertId() const;
  int Changes() const;
  // The database's error for `rc`, as a one-line Status naming the file.
  Status Error(int rc, std::string_view what) const;
  const std::string& path() const { return path_; }
  sqlite3* raw() const { return db_; }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::map<std::string, std::unique_ptr<Stmt>> cache_;
};

}  // namespace referee::search
