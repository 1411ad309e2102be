// townhall/store/analysis_reader.h — a Townhall database read for analysis.
//
// Opens a Townhall SQLite file on its own connection — refusing every write (PRAGMA query_only)
// unless asked for writing, and never creating a file — and reads a consultation's responses straight into
// analysis::ResponseTable: rows are streamed from SQLite into the table builder, whose flat
// answers parser reads each stored answers object without building a JSON DOM, so a million
// responses become columns in one pass. Files of older schema versions are read as they are
// (responses stored before migration 4 have the language 'en-GB', as that migration says); a
// file written by a newer Townhall is refused, as is a file that is not a Townhall database.
// A PostgreSQL URL (postgres_store.h) is read the same way over one libpq connection, in
// read-only transactions unless asked for writing; path() then names it without its password.
//
// Errors: kNotFound for a missing file or an unknown consultation; kConflict for a newer schema;
// kInvalidArgument (field "path") for a file that is not a Townhall database; kIo otherwise.
// Thread-safety: use a reader from one thread at a time (responses() runs threads of its own,
// each on its own connection).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/analysis/response_table.h"
#include "townhall/error.h"

namespace townhall {

struct ConsultationOverview {
  std::string id, status, title;
  std::string opens, closes;  // YYYY-MM-DD, empty when not set
  int64_t responses = 0;
};

class AnalysisReader {
 public:
  static Result<std::unique_ptr<AnalysisReader>> open(const std::string& path, bool writable = false);
  ~AnalysisReader();

  int schema_version() const;
  const std::string& path() const;
  // Every consultation, in the order they were created, with its response count.
  Result<std::vector<ConsultationOverview>> consultations();
  // The consultation's questions (the `questions` array of its document; [] when none).
  Result<nlohmann::json> questions(const std::string& consultation_id);
  // The consultation's responses as columns, in the order they were stored, with their references.
  // A large consultation is read on several threads (`threads`; 0: one per 100,000 responses, up
  // to the machine's cores), each over a range of ids on a connection of its own, and the parts
  // joined; the table is the same whatever the number. Responses stored once the read has begun
  // are not included.
  Result<analysis::ResponseTable> responses(const std::string& consultation_id, unsigned threads = 0);

 private:
  struct Impl;
  explicit AnalysisReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// "file:<percent-encoded path>?mode=ro" — an SQLite URI for opening `path` read-only.
std::string sqlite_read_only_uri(const std::string& path);

}  // namespace townhall
