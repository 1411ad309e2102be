// Internal to the store module: what AnalysisReader (analysis_reader.h) reads from a PostgreSQL
// database, implemented beside the PostgreSQL store (core/postgres/src/analysis.cpp), or refusing
// every URL in a build without libpq.
// Thread-safety: one Source is used by one thread at a time (AnalysisReader is not shared).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "townhall/analysis/response_table.h"
#include "townhall/error.h"
#include "townhall/store/analysis_reader.h"

namespace townhall::postgres_analysis {

class Source {
 public:
  virtual ~Source() = default;
  virtual int schema_version() const = 0;
  virtual Result<std::vector<ConsultationOverview>> consultations() = 0;
  // The consultation's stored document text; kNotFound (field "consultation") when there is none.
  virtual Result<std::string> document(const std::string& consultation_id) = 0;
  // The consultation's responses, in id order, into `builder`.
  virtual Status responses(const std::string& consultation_id, analysis::ResponseTableBuilder& builder) = 0;
};

// Connects to `url` and checks it holds a Townhall database this build can read; a read-only
// session unless `writable`.
Result<std::unique_ptr<Source>> open(const std::string& url, bool writable);

}  // namespace townhall::postgres_analysis
