// townhall._townhall — pybind11 bindings of libtownhall: dates, calendar, policy, consultations,
// compliance. Thin: every function calls the core; the Python package adds DataFrames on top.
#include <optional>
#include <string>
#include <vector>

#include "common.h"
#include "townhall/analysis/census.h"
#include "townhall/calendar/bank_holidays.h"
#include "townhall/calendar/clear_days.h"
#include "townhall/charter/finding.h"
#include "townhall/charter/policy.h"
#include "townhall/charter/rules.h"
#include "townhall/compliance/compliance.h"
#include "townhall/consultations/consultation.h"
#include "townhall/consultations/consultation_rules.h"
#include "townhall/consultations/findings.h"
#include "townhall/readability/report.h"
#include "townhall/util/json_schema.h"

namespace py = pybind11;
using namespace townhall;
using townhall::python::throw_error;
using townhall::python::unwrap;

namespace townhall::python {

void register_errors(py::module_& m) {
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const CoreError& e) {
      py::object errors = py::module_::import("townhall.errors");
      py::object cls = errors.attr("class_for_code")(error_code_name(e.error.code));
      py::object field = e.error.field.empty() ? py::object(py::none()) : py::str(e.error.field);
      py::object rule = e.rule.empty() ? py::object(py::none()) : py::str(e.rule);
      py::object exc = cls(e.error.describe(), py::arg("code") = error_code_name(e.error.code),
                           py::arg("field") = field, py::arg("rule") = rule);
      if (!e.rules.empty()) {
        exc.attr("rules") = py::cast(e.rules);
        exc.attr("findings") = py::module_::import("json").attr("loads")(e.findings_json);
      }
      PyErr_SetObject(cls.ptr(), exc.ptr());
    }
  });
  m.def(
      "_raise_error",
      [](const std::string& code, const std::string& field, const std::string& message,
         const std::string& rule) {
        static const std::pair<const char*, ErrorCode> codes[] = {
            {"invalid-argument", ErrorCode::kInvalidArgument},
            {"invalid-json", ErrorCode::kInvalidJson},
            {"schema-violation", ErrorCode::kSchemaViolation},
            {"invalid-csv", ErrorCode::kInvalidCsv},
            {"not-found", ErrorCode::kNotFound},
            {"conflict", ErrorCode::kConflict},
            {"infeasible", ErrorCode::kInfeasible},
            {"io", ErrorCode::kIo},
            {"storage-full", ErrorCode::kStorageFull},
            {"internal", ErrorCode::kInternal}};
        for (const auto& [name, c] : codes)
          if (code == name) throw_error(Error{c, field, message}, rule);
        throw_error(Error{ErrorCode::kInternal, field, message}, rule);
      },
      py::arg("code"), py::arg("field"), py::arg("message"), py::arg("rule") = "",
      "Raises the townhall.Error subclass for a core error code (used by tests of the mapping).");
}

}  // namespace townhall::python

namespace {

Region region_arg(const std::string& text) { return unwrap(parse_region(text, "region")); }
DayCountMode mode_arg(const std::string& text) { return unwrap(parse_mode(text, "mode")); }
const HolidayCalendar& calendar_of(const std::string& region) {
  return HolidayCalendar::for_region(region_arg(region));
}

Date checked_date(Date d, const char* field) {
  if (auto st = HolidayCalendar::check_supported(d, field); !st) throw_error(st.error());
  return d;
}

int checked_days(int n) {
  if (n < 0 || n > 3660) throw_error(invalid_argument("days", "must be between 0 and 3660"));
  return n;
}

nlohmann::json json_arg(const std::string& text, const char* what) {
  return unwrap(parse_json(text, what));
}

}  // namespace

PYBIND11_MODULE(_townhall, m) {
  m.doc() = "Compiled core of the townhall package (libtownhall). Use the `townhall` package.";
  townhall::python::register_errors(m);

  // ---- dates -----------------------------------------------------------------------------
  m.def(
      "parse_date",
      [](const std::string& text, const std::string& field) { return unwrap(Date::parse(text, field)); },
      py::arg("text"), py::arg("field") = "date",
      "Parses a strict YYYY-MM-DD date (years 1900–2200) into datetime.date.\n"
      "Raises townhall.InvalidInput naming `field` otherwise.");
  m.def(
      "_builtin_census_table",
      [](const std::string& file_name) {
        auto text = analysis::builtin_census_table(file_name);
        if (text.empty()) throw py::key_error("no built-in census table " + file_name);
        return std::string(text);
      },
      py::arg("file_name"), "The text of a Census 2021 table built into the library.");
  m.def("today_in_london", &Date::today_in_london, "Today's date in Europe/London.");

  // ---- calendar ----------------------------------------------------------------------------
  py::class_<BankHoliday>(m, "BankHoliday", "A UK bank holiday.")
      .def_readonly("date", &BankHoliday::date, "The day (datetime.date).")
      .def_readonly("name", &BankHoliday::name, "English name, e.g. 'Easter Monday'.")
      .def_readonly("substitute", &BankHoliday::substitute,
                    "True for a weekday standing in for a holiday that fell at a weekend.")
      .def_readonly("provisional", &BankHoliday::provisional,
                    "True when the year is beyond the proclamation table (rule only).")
      .def("__repr__", [](const BankHoliday& h) {
        return "BankHoliday(" + h.date.iso() + ", '" + h.name + "'" +
               (h.substitute ? ", substitute" : "") + (h.provisional ? ", provisional" : "") + ")";
      });

  m.def(
      "bank_holidays",
      [](int from_year, std::optional<int> to_year, const std::string& region) {
        return unwrap(calendar_of(region).holidays(from_year, to_year.value_or(from_year)));
      },
      py::arg("from_year"), py::arg("to_year") = py::none(), py::arg("region") = "england-and-wales",
      "Bank holidays in [from_year, to_year] (to_year defaults to from_year) for a region\n"
      "('england-and-wales', 'scotland', 'northern-ireland'), in date order.");
  m.def(
      "is_bank_holiday",
      [](Date d, const std::string& region) { return calendar_of(region).is_bank_holiday(checked_date(d, "date")); },
      py::arg("date"), py::arg("region") = "england-and-wales", "Whether `date` is a bank holiday.");
  m.def(
      "is_working_day",
      [](Date d, const std::string& region) { return calendar_of(region).is_working_day(checked_date(d, "date")); },
      py::arg("date"), py::arg("region") = "england-and-wales",
      "Monday–Friday and not a bank holiday in the region.");
  m.def(
      "clear_days",
      [](Date published, Date event, const std::string& mode, const std::string& region) {
        return unwrap(clear_days(checked_date(published, "published"), checked_date(event, "event"),
                                 mode_arg(mode), calendar_of(region)));
      },
      py::arg("published"), py::arg("event"), py::arg("mode") = "calendar",
      py::arg("region") = "england-and-wales",
      "Clear days strictly between `published` and `event` (neither end counts).\n"
      "mode='calendar' counts every day; 'working' only working days in the region.");
  m.def(
      "latest_publication",
      [](Date event, int days, const std::string& mode, const std::string& region) {
        return unwrap(latest_publication(checked_date(event, "event"), checked_days(days), mode_arg(mode),
                                         calendar_of(region)));
      },
      py::arg("event"), py::arg("days"), py::arg("mode") = "calendar",
      py::arg("region") = "england-and-wales",
      "The last publication day with at least `days` clear days before `event`.");
  m.def(
      "earliest_event",
      [](Date published, int days, const std::string& mode, const std::string& region) {
        return unwrap(earliest_event(checked_date(published, "published"), checked_days(days),
                                     mode_arg(mode), calendar_of(region)));
      },
      py::arg("published"), py::arg("days"), py::arg("mode") = "calendar",
      py::arg("region") = "england-and-wales",
      "The first event day with at least `days` clear days after `published`.");
  m.def(
      "last_working_day_on_or_before",
      [](Date d, const std::string& region) {
        return unwrap(last_working_day_on_or_before(checked_date(d, "date"), calendar_of(region)));
      },
      py::arg("date"), py::arg("region") = "england-and-wales",
      "The last working day on or before `date`.");
  m.def(
      "practical_latest_publication",
      [](Date event, int days, const std::string& mode, const std::string& region) {
        const auto& cal = calendar_of(region);
        return unwrap(last_working_day_on_or_before(
            unwrap(latest_publication(checked_date(event, "event"), checked_days(days), mode_arg(mode), cal)), cal));
      },
      py::arg("event"), py::arg("days"), py::arg("mode") = "calendar",
      py::arg("region") = "england-and-wales",
      "The practical latest publication day: the legal latest day, moved back to a working day\n"
      "when it falls at a weekend or on a bank holiday.");

  // ---- rules and findings --------------------------------------------------------------------
  py::class_<RuleInfo>(m, "Rule", "A charter or legal rule in the registry.")
      .def_property_readonly("id", [](const RuleInfo& r) { return std::string(r.id); })
      .def_property_readonly("default_severity",
                             [](const RuleInfo& r) { return std::string(severity_id(r.default_severity)); })
      .def_property_readonly("title", [](const RuleInfo& r) { return std::string(r.title); })
      .def_property_readonly("citation", [](const RuleInfo& r) { return std::string(r.citation); })
      .def("__repr__", [](const RuleInfo& r) { return "Rule(" + std::string(r.id) + ")"; });
  m.def("rules", &rules, "Every rule the engine knows, in registry order.");
  m.def(
      "rule",
      [](const std::string& id) {
        const RuleInfo* r = find_rule(id);
        if (!r) throw_error(Error{ErrorCode::kNotFound, "rule", "unknown rule '" + id + "'"}, id);
        return *r;
      },
      py::arg("id"), "The registry entry of rule `id`; townhall.NotFound (with .rule) if unknown.");

  py::class_<Finding>(m, "Finding", "One rule's verdict on one subject.")
      .def_readonly("rule", &Finding::rule, "Rule id, e.g. 'C-MIN'.")
      .def_property_readonly("severity", [](const Finding& f) { return std::string(severity_id(f.severity)); },
                             "'breach', 'warning' or 'info'.")
      .def_readonly("subject_kind", &Finding::subject_kind)
      .def_readonly("subject_id", &Finding::subject_id)
      .def_readonly("message", &Finding::message)
      .def_readonly("citation", &Finding::citation)
      .def_readonly("dates", &Finding::dates, "Dates the rule computed, by name (datetime.date).")
      .def_readonly("figures", &Finding::figures, "Figures the rule computed, by name (int).")
      .def("to_line", &Finding::to_line)
      .def("_to_json_text", [](const Finding& f) { return f.to_json().dump(); })
      .def("__repr__", [](const Finding& f) { return "Finding(" + f.to_line() + ")"; });

  // ---- policy --------------------------------------------------------------------------------
  py::class_<CharterPolicy>(m, "Policy",
                            "A council's charter settings (defaults: the charter's values).\n"
                            "Build with Policy(), Policy.from_dict(), from_json() or from_file().")
      .def(py::init([]() { return CharterPolicy::defaults(); }))
      .def_static(
          "_from_json_text",
          [](const std::string& text) { return unwrap(CharterPolicy::from_json_text(text)); },
          py::arg("text"))
      .def("_to_json_text", [](const CharterPolicy& p) { return p.to_json().dump(); })
      .def_property_readonly("region", [](const CharterPolicy& p) { return std::string(region_id(p.region)); })
      .def_property_readonly(
          "nation", [](const CharterPolicy& p) { return std::string(nation_id(p.nation)); },
          "The council's nation: 'england', 'wales', 'scotland' or 'northern-ireland'. SI 2012/2089\n"
          "binds English councils only; elsewhere its checks run as the council's own policy.")
      .def_property_readonly("regulations_apply", &CharterPolicy::regulations_apply,
                             "Whether SI 2012/2089 governs this council (an English council).")
      .def_readonly("big_decision_weeks", &CharterPolicy::big_decision_weeks)
      .def_readonly("holiday_extension", &CharterPolicy::holiday_extension)
      .def_readonly("holiday_extension_days", &CharterPolicy::holiday_extension_days)
      .def_readonly("voluntary_sector_weeks", &CharterPolicy::voluntary_sector_weeks)
      .def_readonly("key_decision_threshold_pence", &CharterPolicy::key_decision_threshold_pence)
      .def(
          "severity_of",
          [](const CharterPolicy& p, const std::string& rule) {
            if (!find_rule(rule))
              throw_error(Error{ErrorCode::kNotFound, "rule", "unknown rule '" + rule + "'"}, rule);
            return std::string(severity_id(p.severity_of(rule)));
          },
          py::arg("rule"), "Severity of a failed check of `rule` after the policy's overrides.");

  // ---- consultations ---------------------------------------------------------------------------
  py::class_<Consultation>(m, "Consultation",
                           "A consultation as the charter rules see it. Build with\n"
                           "Consultation.from_dict() (validated by consultation.schema.json).")
      .def_static(
          "_from_json_text",
          [](const std::string& text) {
            return unwrap(parse_consultation(json_arg(text, "consultation")));
          },
          py::arg("text"))
      .def("_to_json_text", [](const Consultation& c) { return to_json(c).dump(); })
      .def_readonly("id", &Consultation::id)
      .def_readonly("title", &Consultation::title)
      .def_readonly("big_decision", &Consultation::big_decision)
      .def_readonly("opens", &Consultation::opens)
      .def_readonly("closes", &Consultation::closes)
      .def_readonly("key_decision_id", &Consultation::key_decision_id)
      .def_readonly("decision_date", &Consultation::decision_date)
      .def_property_readonly("channels",
                             [](const Consultation& c) {
                               std::vector<std::string> out;
                               for (Channel ch : c.channels) out.emplace_back(channel_id(ch));
                               return out;
                             })
      .def("__repr__", [](const Consultation& c) { return "Consultation(" + c.id + ")"; });

  py::class_<ClosePlan>(m, "ClosePlan", "The close date a consultation needs under C-EXT.")
      .def_readonly("opens", &ClosePlan::opens)
      .def_readonly("base_days", &ClosePlan::base_days, "weeks × 7")
      .def_readonly("base_close", &ClosePlan::base_close, "opens + base_days − 1")
      .def_readonly("close", &ClosePlan::close, "earliest close satisfying C-EXT")
      .def_readonly("holiday_days", &ClosePlan::holiday_days)
      .def_readonly("length_days", &ClosePlan::length_days)
      .def_readonly("extended", &ClosePlan::extended)
      .def("__repr__", [](const ClosePlan& p) {
        return "ClosePlan(opens=" + p.opens.iso() + ", close=" + p.close.iso() +
               ", length_days=" + std::to_string(p.length_days) +
               (p.extended ? ", extended" : "") + ")";
      });

  m.def(
      "plan_close",
      [](Date opens, std::optional<int> weeks, const CharterPolicy& policy) {
        int w = weeks.value_or(policy.big_decision_weeks);
        if (w < 1 || w > 104) throw_error(invalid_argument("weeks", "must be between 1 and 104"));
        return plan_close(checked_date(opens, "opens"), w, policy);
      },
      py::arg("opens"), py::arg("weeks") = py::none(), py::arg("policy"),
      "The earliest close date for a consultation of `weeks` weeks (default: the policy's\n"
      "big-decision weeks) opening on `opens`, extended over holiday windows (C-EXT).");

  m.def(
      "_consultation_findings",
      [](const std::string& document_text, const std::string& translations_text, const CharterPolicy& policy,
         Date as_of) {
        Result<std::vector<Finding>> r = Error{};
        {
          py::gil_scoped_release release;
          auto doc = parse_json(document_text, "consultation");
          auto given = parse_json(translations_text, "translations");
          if (!doc) {
            r = doc.error();
          } else if (!given) {
            r = given.error();
          } else if (!given->is_object()) {
            r = invalid_argument("translations", "must map language tags to translation documents");
          } else {
            Translations translations;
            for (auto& [tag, t] : given->items()) translations.emplace(tag, t);
            r = consultation_findings(*doc, translations, policy, as_of);
          }
        }
        return unwrap(std::move(r));
      },
      py::arg("document_text"), py::arg("translations_text"), py::arg("policy"), py::arg("as_of"));

  py::class_<ComplianceReport>(m, "ComplianceReport", "Every finding of a compliance check.")
      .def_readonly("as_of", &ComplianceReport::as_of)
      .def_readonly("findings", &ComplianceReport::findings)
      .def_readonly("consultations_checked", &ComplianceReport::consultations_checked)
      .def_readonly("key_decisions_checked", &ComplianceReport::key_decisions_checked)
      .def_readonly("meetings_checked", &ComplianceReport::meetings_checked)
      .def_property_readonly("has_breach", &ComplianceReport::has_breach)
      .def("_to_json_text", [](const ComplianceReport& r) { return r.to_json().dump(); })
      .def("__repr__", [](const ComplianceReport& r) {
        return "ComplianceReport(as_of=" + r.as_of.iso() + ", findings=" +
               std::to_string(r.findings.size()) + (r.has_breach() ? ", breach" : "") + ")";
      });

  m.def(
      "_check_document_text",
      [](const std::string& text, const CharterPolicy& policy, std::optional<Date> as_of) {
        Result<ComplianceReport> r = Error{};
        {
          py::gil_scoped_release release;
          auto doc = parse_json(text, "document");
          r = doc ? check_document(*doc, policy, as_of) : Result<ComplianceReport>(doc.error());
        }
        return unwrap(std::move(r));
      },
      py::arg("text"), py::arg("policy"), py::arg("as_of") = py::none());

  m.def(
      "_check_forward_plan_csv",
      [](const std::string& text, const CharterPolicy& policy, std::optional<Date> as_of) {
        Result<ComplianceReport> r = Error{};
        {
          py::gil_scoped_release release;
          r = check_forward_plan_csv(text, policy, as_of);
        }
        return unwrap(std::move(r));
      },
      py::arg("text"), py::arg("policy"), py::arg("as_of") = py::none());

  m.def(
      "_readability_json_text",
      [](const std::string& text, const std::string& lang) {
        Result<readability::ReadabilityReport> r = Error{};
        {
          py::gil_scoped_release release;
          r = readability::analyse_readability(text, lang, "text");
        }
        return unwrap(std::move(r)).to_json().dump();
      },
      py::arg("text"), py::arg("lang"));

  townhall::python::register_analysis(m);
  townhall::python::register_database(m);
  townhall::python::register_free_text(m);
}
