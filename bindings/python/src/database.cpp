// townhall._townhall._Database: a Townhall database opened for analysis (AnalysisReader), read-only
// unless asked; when writable, also the store (SqliteStore) for adding consultations (through the
// lifecycle and its charter checks, consultations/lifecycle.h) and responses.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arrays.h"
#include "common.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/lifecycle.h"
#include "townhall/demo/demo.h"
#include "townhall/responses/answers.h"
#include "townhall/store/open_store.h"
#include "townhall/store/analysis_reader.h"
#include "townhall/store/sqlite_store.h"
#include "townhall/util/json_schema.h"

namespace py = pybind11;
using namespace townhall;
using townhall::python::CoreError;
using townhall::python::throw_error;
using townhall::python::unwrap;

namespace {

struct Database {
  std::unique_ptr<AnalysisReader> reader;
  std::unique_ptr<Store> store;  // writable only

  Store& writable_store() {
    if (!store)
      throw_error(Error{ErrorCode::kConflict, "writable",
                        reader->path() + " was opened read-only; use townhall.open(path, writable=True)"});
    return *store;
  }
};

std::unique_ptr<Database> open_database(const std::string& path, bool writable, bool create,
                                        const std::optional<std::string>& audit_key) {
  auto db = std::make_unique<Database>();
  Result<std::unique_ptr<AnalysisReader>> r = Error{};
  {
    py::gil_scoped_release release;
    if (writable) {
      // The store decides what it may open: a Townhall database, or (with create) nothing yet;
      // any other file is refused untouched.
      SqliteOptions options;
      options.create = create;
      if (audit_key) options.audit_key_file = *audit_key;
      auto st = open_store(path, options);
      if (!st) {
        Error e = st.error();
        if (e.field.empty()) e.field = "path";
        r = e;
      } else {
        db->store = std::move(*st);
        r = AnalysisReader::open(path, true);
      }
    } else {
      r = AnalysisReader::open(path, false);
    }
  }
  db->reader = unwrap(std::move(r));
  return db;
}

}  // namespace

namespace townhall::python {

void register_database(py::module_& m) {
  py::class_<Database>(m, "_Database", "A Townhall database (use townhall.open).")
      .def_property_readonly("path", [](const Database& d) { return d.reader->path(); })
      .def_property_readonly("schema_version", [](const Database& d) { return d.reader->schema_version(); })
      .def_property_readonly("writable", [](const Database& d) { return d.store != nullptr; })
      .def("consultations",
           [](Database& d) {
             Result<std::vector<ConsultationOverview>> r = Error{};
             {
               py::gil_scoped_release release;
               r = d.reader->consultations();
             }
             py::list out;
             for (const auto& c : unwrap(std::move(r))) {
               py::dict row;
               row["id"] = c.id;
               row["status"] = c.status;
               row["title"] = c.title;
               row["opens"] = c.opens;
               row["closes"] = c.closes;
               row["responses"] = c.responses;
               out.append(row);
             }
             return out;
           })
      .def("questions_json",
           [](Database& d, const std::string& id) {
             Result<nlohmann::json> r = Error{};
             {
               py::gil_scoped_release release;
               r = d.reader->questions(id);
             }
             return unwrap(std::move(r)).dump();
           },
           py::arg("consultation_id"))
      .def("response_table",
           [](Database& d, const std::string& id) {
             Result<analysis::ResponseTable> r = Error{};
             {
               py::gil_scoped_release release;
               r = d.reader->responses(id);
             }
             return response_table_to_dict(unwrap(std::move(r)));
           },
           py::arg("consultation_id"))
      .def("add_consultation",
           [](Database& d, const std::string& document_text, const std::string& status_text,
              const CharterPolicy& policy, std::optional<Date> as_of) {
             Store& store = d.writable_store();
             auto status = parse_consultation_status(status_text, "status");
             if (!status) throw_error(status.error());
             Result<ConsultationRecord, LifecycleError> rec = LifecycleError{};
             {
               py::gil_scoped_release release;
               rec = [&]() -> Result<ConsultationRecord, LifecycleError> {
                 auto doc = parse_json(document_text, "document");
                 if (!doc) return LifecycleError(doc.error());
                 return add_consultation(store, *doc, *status, Actor::system("python"), policy,
                                         as_of ? *as_of : Date::today_in_london());
               }();
             }
             if (!rec) {
               const LifecycleError& e = rec.error();
               CoreError error(e, e.rules.empty() ? std::string() : e.rules.front());
               error.rules = e.rules;
               error.findings_json = findings_to_json(e.findings)["findings"].dump();
               throw error;
             }
             return rec->id;
           },
           py::arg("document"), py::arg("status"), py::arg("policy"), py::arg("as_of") = py::none())
      .def("seed_demo",
           [](Database& d) {
             Store& store = d.writable_store();
             Result<DemoSeed> seed = Error{};
             {
               py::gil_scoped_release release;
               seed = seed_demo(store, Date::today_in_london());
             }
             DemoSeed s = unwrap(std::move(seed));
             py::dict out;
             out["seeded"] = s.seeded;
             out["officer_token"] = s.officer_token;
             out["governance_token"] = s.governance_token;
             out["consultations"] = s.consultations;
             out["responses"] = s.responses;
             out["key_decisions"] = s.key_decisions;
             out["meetings"] = s.meetings;
             return out;
           },
           "Seeds the demo consultations, panel member and Forward Plan (townhall/demo/demo.h) into an "
           "empty database; a database with consultations is left as it is.")
      .def("submit_responses",
           [](Database& d, const std::string& id, const std::string& responses_text, size_t batch) {
             Store& store = d.writable_store();
             Status st = Status::Ok();
             size_t stored = 0;
             {
               py::gil_scoped_release release;
               st = [&]() -> Status {
                 auto rs = parse_json(responses_text, "responses");
                 if (!rs) return rs.error();
                 if (!rs->is_array()) return invalid_argument("responses", "must be an array");
                 auto questions = store.questions(id);
                 if (!questions) return questions.error();
                 // Every submission is checked before any is stored, so bad input stores nothing.
                 std::vector<ResponseSubmission> subs(rs->size());
                 for (size_t i = 0; i < rs->size(); ++i) {
                   const auto& o = (*rs)[i];
                   const std::string at = "/responses/" + std::to_string(i);
                   if (!o.is_object()) return invalid_argument(at, "must be an object");
                   auto answers = o.find("answers");
                   if (answers == o.end()) return invalid_argument(at + "/answers", "is required");
                   if (auto v = validate_answers(*questions, *answers, at + "/answers"); !v) return v;
                   subs[i].consultation_id = id;
                   subs[i].answers = *answers;
                   for (const char* key : {"channel", "language"}) {
                     auto it = o.find(key);
                     if (it == o.end()) continue;
                     if (!it->is_string()) return invalid_argument(at + "/" + key, "must be a string");
                     (std::string(key) == "channel" ? subs[i].channel : subs[i].language) = it->get<std::string>();
                   }
                   bool known = false;
                   for (const char* c : {"online", "paper", "phone", "face_to_face", "event"}) known |= subs[i].channel == c;
                   if (!known) return invalid_argument(at + "/channel", "unknown channel \"" + subs[i].channel + "\"");
                 }
                 const size_t step = batch == 0 ? 5000 : batch;
                 for (size_t from = 0; from < subs.size(); from += step) {
                   std::vector<ResponseSubmission> part(std::make_move_iterator(subs.begin() + static_cast<std::ptrdiff_t>(from)),
                                                        std::make_move_iterator(subs.begin() + static_cast<std::ptrdiff_t>(std::min(subs.size(), from + step))));
                   auto results = store.submit_responses(part, responses_allowed());
                   for (size_t k = 0; k < results.size(); ++k) {
                     if (!results[k]) {
                       Error e = results[k].error();
                       e.message = "response " + std::to_string(from + k) + " (" + std::to_string(stored) +
                                   " stored before it): " + e.message;
                       return e;
                     }
                     ++stored;
                   }
                 }
                 return Status::Ok();
               }();
             }
             unwrap(st);
             return stored;
           },
           py::arg("consultation_id"), py::arg("responses"), py::arg("batch") = 5000);

  m.def("_open_database", &open_database, py::arg("path"), py::arg("writable") = false,
        py::arg("create") = false, py::arg("audit_key") = py::none(),
        "Opens a Townhall database (use townhall.open).");
}

}  // namespace townhall::python
