// townhall/charter/policy.h — a council's charter settings.
//
// Every number in the charter rules is a policy setting whose default is the charter's value.
// A policy file is JSON validated by schemas/charter-policy.schema.json: unknown keys and wrong
// types are errors naming the field. Omitted keys keep their defaults.
//
// Statutory floors: for an English council (nation "england") the rules taken from SI 2012/2089 are
// the law, so a policy may make them stricter but never laxer. from_json() refuses a policy that
// shortens one of their notice periods, counts calendar days where the floor counts working days,
// lengthens the urgency reporting interval past a year, raises the ward count above two, or sets
// one of those rules' severity below breach, naming the setting (statutory_floors() lists them).
// Elsewhere the Regulations do not apply: the same checks run as the council's own policy, every
// setting is the council's to choose, and findings say so in their citation.
// Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "townhall/calendar/bank_holidays.h"
#include "townhall/calendar/clear_days.h"
#include "townhall/calendar/holiday_feed.h"
#include "townhall/charter/finding.h"
#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall {

// A notice period: "28 clear calendar days", "5 clear working days".
struct NoticePeriod {
  int days = 28;
  DayCountMode mode = DayCountMode::kCalendar;
};

// A yearly window in which people are less likely to respond (C-EXT). It starts on a fixed
// month/day and ends on a fixed month/day or on the New Year's Day bank holiday that follows.
struct HolidayWindow {
  std::string name;
  unsigned from_month = 12, from_day = 24;
  bool to_new_year_bank_holiday = true;
  unsigned to_month = 1, to_day = 1;  // used when !to_new_year_bank_holiday
};

struct ElectionPeriod {
  std::string name;
  Date from, to;  // inclusive
};

// The council's nation: which law applies (SI 2012/2089 is English only) and, with it, which
// bank-holiday region fits.
enum class Nation { kEngland, kWales, kScotland, kNorthernIreland };
const char* nation_id(Nation nation);  // "england" | "wales" | "scotland" | "northern-ireland"
const char* nation_name(Nation nation);  // "England" | "Wales" | …
Result<Nation> parse_nation(std::string_view text, std::string_view field = "nation");

// A setting the law puts a floor under, for English councils.
struct StatutoryFloor {
  std::string_view pointer;   // "/key_decisions/notice"
  std::string_view rule;      // "KD-2"
  std::string_view law;       // "SI 2012/2089 reg 9(1)"
  std::string_view minimum;   // "28 clear calendar days"
};
const std::vector<StatutoryFloor>& statutory_floors();

struct CharterPolicy {
  Region region = Region::kEnglandAndWales;
  Nation nation = Nation::kEngland;

  // Consultations (C-MIN, C-EXT, C-12, C-ELECT, G4).
  int big_decision_weeks = 6;
  bool holiday_extension = true;
  int holiday_extension_days = 14;
  std::vector<HolidayWindow> holiday_windows;  // defaults: 24 Dec–New Year bank holiday; 1–31 Aug
  int voluntary_sector_weeks = 12;
  std::vector<ElectionPeriod> pre_election_periods;
  NoticePeriod summary_before_decision{10, DayCountMode::kCalendar};

  // Key decisions and meetings (KD-1..KD-6, PM-1/PM-2, MEET-5).
  int64_t key_decision_threshold_pence = 10'000'000;  // "valued at over £100,000"
  int key_decision_ward_count = 2;
  NoticePeriod key_decision_notice{28, DayCountMode::kCalendar};
  NoticePeriod general_exception_notice{5, DayCountMode::kWorking};
  NoticePeriod private_meeting_notice{28, DayCountMode::kCalendar};
  NoticePeriod private_meeting_further_notice{5, DayCountMode::kWorking};
  NoticePeriod public_meeting_notice{5, DayCountMode::kWorking};
  // KD-5 (reg 19): the leader reports special-urgency decisions to full council at least once in
  // every reporting interval: intervals of urgency_report_months (at most 12) from the first day of
  // the council's reporting year (month and day, the municipal year from 1 May by default), the
  // last interval of a year ending when the next year starts.
  int urgency_report_months = 12;
  unsigned urgency_reporting_year_start_month = 5;
  unsigned urgency_reporting_year_start_day = 1;
  // Plain language (READ), after GOV.UK's writing guidance.
  int readability_max_sentence_words = 25;  // "sentences of 25 words or fewer"
  double readability_reading_age = 9.0;     // "a reading age of about 9" (English: FK grade + 5)
  double readability_max_lix = 40.0;        // other languages: LIX up to 40 reads as easy (Björnsson)  // KD-5: special-urgency decisions reported at least yearly

  // Citizens' Panel (docs/design.md §2.5): contact limits, how long a fact stays valid, and the
  // drafting check for questions repeated to the same audience.
  int panel_max_invitations = 3;
  int panel_window_days = 365;
  int panel_fact_valid_months = 24;
  int panel_repeat_question_months = 12;
  double panel_repeat_question_similarity = 0.8;

  std::map<std::string, Severity> severity_overrides;  // rule id → severity
  // The bank holidays the rules count with: the built-in table, or the table brought up to date by
  // the council's imported GOV.UK feed (holiday_feed.h). Not part of the policy file: the front
  // ends set it from the database (null = the built-in table).
  std::shared_ptr<const HolidayCalendars> holidays;

  // The charter's defaults.
  static CharterPolicy defaults();
  // Validates against the schema, then applies the settings over the defaults.
  static Result<CharterPolicy> from_json(const nlohmann::json& doc);
  static Result<CharterPolicy> from_json_text(std::string_view text);
  nlohmann::json to_json() const;

  // Whether SI 2012/2089 governs this council (an English council).
  bool regulations_apply() const { return nation == Nation::kEngland; }

  // Severity for a failed check of `rule_id`, after overrides.
  Severity severity_of(std::string_view rule_id) const;
  const HolidayCalendar& calendar() const {
    return holidays ? holidays->of(region) : HolidayCalendar::for_region(region);
  }
};

}  // namespace townhall
