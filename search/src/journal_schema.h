// The journal's schema, one migration per version (private to search/). A migration runs in
// the transaction that bumps PRAGMA user_version, so a crash mid-migration leaves the old
// version intact. Never edit a released step: add a new one.
#pragma once

namespace referee::search {

inline constexpr const char* kMigrations[] = {
    // v1: the initial schema.
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sessions(id INTEGER PRIMARY KEY, started REAL NOT NULL, ended REAL, pid INTEGER,
                      command TEXT, stop_reason TEXT);
CREATE TABLE threads(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, incumbent INTEGER,
                     created_round INTEGER, last_improved_round INTEGER, resets INTEGER);
CREATE TABLE proposals(id INTEGER PRIMARY KEY, round INTEGER, thread INTEGER, proposer TEXT,
                       status TEXT, reason TEXT, request_blob TEXT, response_blob TEXT,
                       cost TEXT, wall_s REAL, candidate INTEGER, created REAL);
CREATE TABLE candidates(id INTEGER PRIMARY KEY, hash TEXT NOT NULL, thread INTEGER,
                        parents TEXT, proposer TEXT, proposal INTEGER, rationale TEXT,
                        cost TEXT, program_blob TEXT, diff_blob TEXT, params TEXT,
                        round INTEGER, status TEXT, attempts INTEGER, quarantined INTEGER,
                        tainted_by INTEGER, metric REAL, metric_se REAL, sol_score REAL,
                        created REAL);
CREATE TABLE stages(id INTEGER PRIMARY KEY, candidate INTEGER NOT NULL, stage TEXT,
                    attempt INTEGER, status TEXT, check_id TEXT, reason TEXT, hack INTEGER,
                    metric REAL, metric_se REAL, report_blob TEXT, cost_s REAL, started REAL,
                    ended REAL, session INTEGER);
CREATE TABLE decisions(id INTEGER PRIMARY KEY, candidate INTEGER, thread INTEGER, kind TEXT,
                       verdict TEXT, baseline INTEGER, applied INTEGER, ratio REAL,
                       ci_low REAL, ci_high REAL, pairs INTEGER, looks INTEGER, alpha REAL,
                       delta REAL, details TEXT, report_blob TEXT, round INTEGER, created REAL);
CREATE TABLE incidents(id INTEGER PRIMARY KEY, candidate INTEGER, stage TEXT, check_id TEXT,
                       evidence TEXT, report_blob TEXT, ruleset TEXT, created REAL);
)sql",
    // v2: lineage depth, proposal slots (idempotent rounds), one row per program (dedupe by
    // content hash), lookup indexes.
    R"sql(
ALTER TABLE candidates ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proposals ADD COLUMN slot TEXT NOT NULL DEFAULT 'main';
ALTER TABLE stages ADD COLUMN timed_s REAL NOT NULL DEFAULT 0;
ALTER TABLE stages ADD COLUMN evaluations INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX candidates_hash ON candidates(hash);
CREATE INDEX stages_candidate ON stages(candidate);
CREATE INDEX decisions_candidate ON decisions(candidate);
)sql",
    // v3: the executor's job id per stage (issue 14): a resumed search adopts a finished job's
    // result or resubmits a lost one, never both.
    R"sql(
ALTER TABLE stages ADD COLUMN job TEXT DEFAULT '';
)sql",
};

}  // namespace referee::search
