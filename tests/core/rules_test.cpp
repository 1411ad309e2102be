// The rule registry (charter/rules.h) against everything that names a rule: the policy file's
// schema, the message catalogs, the policy settings, and the checks themselves. The triggering
// documents below are written from the law as docs/design.md §2.3–2.4 states it, not from the checks'
// output: each breaks exactly the rule it is filed under, the compliant ones break none.
#include "townhall/charter/rules.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "townhall/compliance/compliance.h"
#include "townhall/charter/policy.h"

namespace townhall {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

std::set<std::string> registry_ids() {
  std::set<std::string> ids;
  for (const auto& r : rules()) ids.insert(std::string(r.id));
  return ids;
}

TEST(RuleRegistry, IdsAreUniqueAndEveryEntryIsFilledIn) {
  EXPECT_EQ(registry_ids().size(), rules().size());
  for (const auto& r : rules()) {
    EXPECT_FALSE(r.title.empty()) << r.id;
    EXPECT_FALSE(r.citation.empty()) << r.id;
    EXPECT_FALSE(r.check.empty()) << r.id;
    EXPECT_EQ(find_rule(r.id), &r);
  }
  EXPECT_EQ(find_rule("KD-99"), nullptr);
  EXPECT_THROW(rule("KD-99"), std::logic_error);
  EXPECT_THROW(make_finding("KD-99", Severity::kBreach, "key_decision", "kd-1", "x"), std::logic_error);
}

TEST(RuleRegistry, FindingsTakeTheirCitationFromTheRegistry) {
  const Finding f = make_finding("KD-2", Severity::kBreach, "key_decision", "kd-1", "Late.");
  EXPECT_EQ(f.rule, "KD-2");
  EXPECT_EQ(f.citation, "SI 2012/2089 reg 9");
}

TEST(RuleRegistry, PolicySchemaSeveritiesNameExactlyTheRegisteredRules) {
  const json schema = read_json(fs::path(TOWNHALL_SOURCE_DIR) / "schemas" / "charter-policy.schema.json");
  std::set<std::string> in_schema;
  for (const auto& id : schema.at("properties").at("severities").at("propertyNames").at("enum")) {
    in_schema.insert(id.get<std::string>());
  }
  EXPECT_EQ(in_schema, registry_ids());
}

TEST(RuleRegistry, EveryCatalogHasATitleForExactlyTheRegisteredRules) {
  std::set<std::string> wanted;
  for (const auto& id : registry_ids()) wanted.insert("rule." + id + ".title");
  size_t catalogs = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(TOWNHALL_SOURCE_DIR) / "i18n")) {
    if (entry.path().extension() != ".json") continue;
    ++catalogs;
    const json catalog = read_json(entry.path());
    std::set<std::string> titles;
    for (const auto& [key, text] : catalog.at("messages").items()) {
      if (key.rfind("rule.", 0) == 0 && key.size() > 6 && key.substr(key.size() - 6) == ".title") {
        titles.insert(key);
        EXPECT_FALSE(text.get<std::string>().empty()) << entry.path().filename() << " " << key;
      }
    }
    EXPECT_EQ(titles, wanted) << entry.path().filename();
  }
  EXPECT_GE(catalogs, 2u);
}

TEST(RuleRegistry, PolicySettingsArePointersIntoThePolicyFile) {
  const json policy = CharterPolicy::defaults().to_json();
  for (const auto& r : rules()) {
    for (const auto& setting : r.settings) {
      EXPECT_TRUE(policy.contains(json::json_pointer(std::string(setting)))) << r.id << " " << setting;
    }
  }
}

// ---- every registered rule is reported by its check -------------------------------------------

constexpr const char* kAsOf = "2025-11-01";

// A big consultation that meets every consultation rule: six weeks from Mon 3 Mar 2025 to Sun 13
// Apr 2025 (42 days, no holiday window), proposal, reasons and a rejected alternative, a paper
// channel besides online, decided after it closes, short plain sentences, English only.
json compliant_consultation() {
  return json::parse(R"({
    "id": "library-hours",
    "title": "Library opening hours",
    "summary": "We want to change when libraries open. Tell us what you think.",
    "big_decision": true,
    "opens": "2025-03-03",
    "closes": "2025-04-13",
    "proposal": "Open libraries at 10am on weekdays.",
    "reasons": "Few people visit before 10am.",
    "options_considered": [
      {"option": "Close one day a week", "rejected": true, "reason": "Weekday access matters most."},
      {"option": "Later weekday opening", "rejected": false}
    ],
    "channels": ["online", "paper"],
    "decision_date": "2025-05-20"
  })");
}

// A key decision that meets KD-1 and KD-2: £120,000 of spend, treated as key with reasons, decided
// Thu 17 Jul 2025 after a full reg 9 notice on Wed 18 Jun 2025 (28 clear days: 19 Jun–16 Jul).
json compliant_key_decision() {
  return json::parse(R"({
    "id": "kd-1",
    "matter": "Award of the highways maintenance contract",
    "decision_maker": {"name": "Cllr Asha Patel", "title": "Cabinet Member for Highways"},
    "decision_date": "2025-07-17",
    "value_pence": 12000000,
    "value_kind": "spend",
    "treated_as_key": true,
    "assessment_reasons": "Spend over £100,000.",
    "decided_on": "2025-07-17",
    "notice": {
      "published_on": "2025-06-18",
      "states_key_decision": true,
      "matter": "Award of the highways maintenance contract",
      "decision_maker": {"name": "Cllr Asha Patel", "title": "Cabinet Member for Highways"},
      "decision_date": "2025-07-17",
      "documents": ["Cabinet report"],
      "documents_available_from": "Democratic Services, Town Hall",
      "other_documents_statement": true,
      "how_to_request": "Email democratic.services@example.gov.uk"
    }
  })");
}

// A public meeting on Mon 16 Jun 2025 with notice and agenda on Fri 6 Jun (5 clear working days:
// 9–13 Jun).
json compliant_public_meeting() {
  return json::parse(R"({"id": "council-1", "body": "Full Council", "date": "2025-06-16",
                         "notice_published_on": "2025-06-06", "agenda_published_on": "2025-06-06"})");
}

// A private meeting on Tue 15 Jul 2025: intention notice Mon 16 Jun (28 clear days: 17 Jun–14 Jul),
// further notice Mon 7 Jul (5 clear working days: 8–14 Jul) saying no representations came, both
// with their reasons; the open part's notice and agenda also on Mon 7 Jul.
json compliant_private_meeting() {
  return json::parse(R"({"id": "cabinet-1", "body": "Cabinet", "date": "2025-07-15", "private": true,
                         "intention_notice_published_on": "2025-06-16",
                         "intention_notice_reasons": "Exempt information: Schedule 12A paragraph 3",
                         "notice_published_on": "2025-07-07", "agenda_published_on": "2025-07-07",
                         "further_notice": {"published_on": "2025-07-07", "representations_received": [],
                                            "reasons": "Exempt information: Schedule 12A paragraph 3"}})");
}

json consultation_file(const json& consultation) {
  return {{"as_of", kAsOf}, {"consultations", json::array({consultation})}};
}

json plan_file(const json& key_decisions, const json& meetings = json::array(),
               const json& extra = json::object()) {
  json plan = {{"key_decisions", key_decisions}, {"meetings", meetings}};
  plan.update(extra);
  return {{"as_of", kAsOf}, {"forward_plan", plan}};
}

struct Trigger {
  const char* rule;
  Severity severity;  // the rule's default severity as docs/design.md gives it
  json document;      // a check file (schemas/check-input.schema.json)
  json policy = json::object();
};

std::vector<Trigger> triggers() {
  std::vector<Trigger> out;
  auto consultation = [&](const char* rule, Severity s, auto change, json policy = json::object()) {
    json c = compliant_consultation();
    change(c);
    out.push_back({rule, s, consultation_file(c), std::move(policy)});
  };
  // C-MIN: a big decision open five weeks (3 Mar–6 Apr 2025, 35 days), no urgency reason.
  consultation("C-MIN", Severity::kBreach, [](json& c) { c["closes"] = "2025-04-06"; });
  // C-EXT: six weeks from Mon 1 Dec 2025 closing Sun 11 Jan 2026 runs over Christmas and New Year;
  // the extension makes it close Sun 25 Jan 2026 (docs/design.md's example).
  consultation("C-EXT", Severity::kBreach, [](json& c) {
    c["opens"] = "2025-12-01";
    c["closes"] = "2026-01-11";
    c["decision_date"] = "2026-03-10";
  });
  // C-12: a formal written consultation affecting the voluntary sector lasting six weeks, no
  // published reason for the shorter period.
  consultation("C-12", Severity::kBreach, [](json& c) {
    c["big_decision"] = false;
    c["formal_written"] = true;
    c["affects_voluntary_sector"] = true;
  });
  // C-ELECT: it opens on 3 Mar 2025, inside a pre-election period from 1 Mar to 1 May 2025.
  consultation("C-ELECT", Severity::kWarning, [](json&) {},
               json::parse(R"({"consultation": {"pre_election_periods":
                   [{"name": "May 2025 elections", "from": "2025-03-01", "to": "2025-05-01"}]}})"));
  // G1: the decision (1 Apr 2025) comes before the consultation closes (13 Apr 2025).
  consultation("G1", Severity::kBreach, [](json& c) { c["decision_date"] = "2025-04-01"; });
  // G2: no rejected alternative among the options considered.
  consultation("G2", Severity::kBreach, [](json& c) { c["options_considered"][0]["rejected"] = false; });
  // G4: the summary of responses is published Thu 15 May 2025 for a decision report on Tue 20 May:
  // 4 clear days, not the 10 needed.
  consultation("G4", Severity::kWarning, [](json& c) {
    c["summary_published_on"] = "2025-05-15";
    c["decision_report_date"] = "2025-05-20";
  });
  // VAR: a big consultation that can only be answered online.
  consultation("VAR", Severity::kWarning, [](json& c) { c["channels"] = json::array({"online"}); });
  // LANG: Welsh is promised and there is no Welsh translation.
  consultation("LANG", Severity::kBreach, [](json& c) { c["languages"] = json::array({"en-GB", "cy"}); });
  // READ: the proposal is one sentence of more than 25 words.
  consultation("READ", Severity::kWarning, [](json& c) {
    c["proposal"] =
        "We propose that every library in the borough opens at ten in the morning instead of nine on each weekday "
        "and stays open until eight in the evening so that people who work during the day can visit after work.";
  });

  auto decision = [&](const char* rule, auto change, const json& extra = json::object()) {
    json d = compliant_key_decision();
    change(d);
    out.push_back({rule, Severity::kBreach, plan_file(json::array({d}), json::array(), extra)});
  };
  // KD-1: £120,000 of spend is over the £100,000 threshold, but it is not treated as key.
  decision("KD-1", [](json& d) { d["treated_as_key"] = false; });
  // KD-2: the notice is published Tue 1 Jul 2025 for a decision on Thu 17 Jul: 15 clear days, not 28.
  decision("KD-2", [](json& d) { d["notice"]["published_on"] = "2025-07-01"; });
  // KD-3: the general exception is used, but no written notice to the scrutiny chair is recorded.
  decision("KD-3", [](json& d) {
    d["notice"]["published_on"] = "2025-07-08";
    d["general_exception"] = {{"made_public_on", "2025-07-08"}, {"reasons_notice_published_on", "2025-07-08"}};
  });
  // KD-4: special urgency agreed by the scrutiny chair on 18 Jul 2025, after the decision on 17 Jul.
  decision("KD-4", [](json& d) {
    d.erase("notice");
    d["special_urgency"] = {{"agreed_by", "overview_and_scrutiny_chair"}, {"name", "Cllr Ben Okafor"},
                            {"agreed_on", "2025-07-18"}, {"reasons_notice_published_on", "2025-07-18"}};
  });
  // KD-5: a special-urgency decision taken on 17 Jul 2024 and never reported to council: more than
  // a year has passed by 1 Nov 2025.
  decision("KD-5", [](json& d) {
    d.erase("notice");
    d["decision_date"] = "2024-07-17";
    d["decided_on"] = "2024-07-17";
    d["special_urgency"] = {{"agreed_by", "overview_and_scrutiny_chair"}, {"name", "Cllr Ben Okafor"},
                            {"agreed_on", "2024-07-15"}, {"reasons_notice_published_on", "2024-07-15"}};
  });
  // KD-6: scrutiny asked for a report due by 1 Oct 2025; none has been made by 1 Nov 2025.
  decision("KD-6", [](json&) {},
           json::parse(R"({"scrutiny_referrals": [{"decision_id": "d-44", "requested_on": "2025-09-01",
                                                  "report_due_by": "2025-10-01"}]})"));

  auto meeting = [&](const char* rule, json m, auto change) {
    change(m);
    out.push_back({rule, Severity::kBreach, plan_file(json::array(), json::array({m}))});
  };
  // PM-1: notice of intention to meet in private on Tue 15 Jul 2025 given Tue 1 Jul: 13 clear days.
  meeting("PM-1", compliant_private_meeting(), [](json& m) { m["intention_notice_published_on"] = "2025-07-01"; });
  // PM-2: the further notice comes on Fri 11 Jul: 1 clear working day (Mon 14 Jul), not 5.
  meeting("PM-2", compliant_private_meeting(), [](json& m) { m["further_notice"]["published_on"] = "2025-07-11"; });
  // MEET-5: the agenda for Mon 16 Jun 2025 is published Thu 12 Jun: 1 clear working day (Fri 13 Jun).
  meeting("MEET-5", compliant_public_meeting(), [](json& m) { m["agenda_published_on"] = "2025-06-12"; });
  return out;
}

Result<ComplianceReport> run(const json& document, const json& policy_json) {
  auto policy = CharterPolicy::from_json(policy_json);
  if (!policy) return policy.error();
  return check_document(document, *policy);
}

bool has_finding(const std::vector<Finding>& findings, const std::string& rule, Severity severity) {
  for (const auto& f : findings) {
    if (f.rule == rule && f.severity == severity) return true;
  }
  return false;
}

TEST(RuleRegistry, TheTriggerTableCoversEveryRegisteredRule) {
  std::set<std::string> covered;
  for (const auto& t : triggers()) covered.insert(t.rule);
  EXPECT_EQ(covered, registry_ids());
}

TEST(RuleRegistry, TheCompliantDocumentsBreakNoRule) {
  const json plan = plan_file(json::array({compliant_key_decision()}),
                              json::array({compliant_public_meeting(), compliant_private_meeting()}));
  for (const json& doc : {consultation_file(compliant_consultation()), plan}) {
    auto report = run(doc, json::object());
    ASSERT_TRUE(report.ok()) << report.error().describe();
    for (const auto& f : report->findings) EXPECT_EQ(f.severity, Severity::kInfo) << f.to_line();
  }
}

TEST(RuleRegistry, EveryRegisteredRuleIsReportedByItsCheck) {
  for (const auto& t : triggers()) {
    SCOPED_TRACE(t.rule);
    const RuleInfo* info = find_rule(t.rule);
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->default_severity, t.severity);
    auto report = run(t.document, t.policy);
    ASSERT_TRUE(report.ok()) << report.error().describe();
    EXPECT_TRUE(has_finding(report->findings, t.rule, t.severity));
    for (const auto& f : report->findings) {
      if (f.rule != t.rule) {
        EXPECT_EQ(f.severity, Severity::kInfo) << "the document breaks another rule too: " << f.to_line();
        continue;
      }
      EXPECT_EQ(f.citation, info->citation);
      const bool on_consultation = f.subject_kind == "consultation";
      EXPECT_EQ(on_consultation, info->subject == RuleSubject::kConsultation) << f.to_line();
    }
  }
}

// The severity a finding reports is the one its words carry, for every rule and every severity a
// policy may give it: a statutory rule (SI 2012/2089) cannot be set below breach, so its shortfall
// never reads "info"; a charter rule reports exactly the severity the council set. And with the
// defaults, a note (info) never states a shortfall, and a breach never reads as a note.
TEST(RuleRegistry, EverySeverityAPolicyMaySetIsTheSeverityReportedAndMatchesTheWords) {
  const char* const shortfall_words[] = {"only ", "not recorded", "has not been", "had to be", "is missing",
                                         "must stay open", "should close no earlier", "reached council late"};
  const char* const note_words[] = {"Due:", " was reported to full council on ", "by the deadline of "};
  for (const auto& t : triggers()) {
    const RuleInfo* info = find_rule(t.rule);
    ASSERT_NE(info, nullptr);
    for (Severity set : {Severity::kBreach, Severity::kWarning, Severity::kInfo}) {
      SCOPED_TRACE(std::string(t.rule) + " set to " + severity_id(set));
      json policy = t.policy;
      policy["severities"][t.rule] = severity_id(set);
      auto report = run(t.document, policy);
      if (is_statutory(*info) && set != Severity::kBreach) {
        ASSERT_FALSE(report.ok()) << "a statutory breach downgraded to " << severity_id(set);
        EXPECT_EQ(report.error().field, "/severities/" + std::string(t.rule));
        continue;
      }
      ASSERT_TRUE(report.ok()) << report.error().describe();
      // The finding the trigger makes at the default severity now carries the one set.
      EXPECT_TRUE(has_finding(report->findings, t.rule, set));
      // ...and no breach of the rule is left behind when the council set it lower.
      if (set != Severity::kBreach) {
        EXPECT_FALSE(has_finding(report->findings, t.rule, Severity::kBreach));
      }
    }
    auto report = run(t.document, t.policy);
    ASSERT_TRUE(report.ok());
    for (const auto& f : report->findings) {
      for (const char* w : shortfall_words) {
        if (f.severity == Severity::kInfo) {
          EXPECT_EQ(f.message.find(w), std::string::npos) << f.to_line();
        }
      }
      for (const char* w : note_words) {
        if (f.severity == Severity::kBreach) {
          EXPECT_EQ(f.message.find(w), std::string::npos) << f.to_line();
        }
      }
    }
  }
}

}  // namespace
}  // namespace townhall
