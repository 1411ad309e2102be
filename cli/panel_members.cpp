// `townhall panel import` and `townhall panel report`: the Citizens' Panel pool (docs/design.md §2.6).
#include <algorithm>
#include <iostream>

#include "cli.h"
#include "database_option.h"
#include "options.h"
#include "townhall/analysis/census.h"
#include "townhall/util/csv_table.h"
#include "townhall/panel/member_import.h"
#include "townhall/panel/recruitment.h"
#include "townhall/store/sqlite_store.h"

namespace townhall::cli {
namespace {

Result<Date> today_option(const Args& a) {
  if (a.option("today")) return date_option(a, "today");
  return Date::today_in_london();
}

int import_members(const Args& a) {
  if (auto db = database_path(a); !db) return bad_input(db.error());
  auto today = today_option(a);
  if (!today) return bad_input(today.error());
  auto policy = policy_option(a);
  if (!policy) return bad_input(policy.error());
  auto table = csv::read_csv_file(a.positional[0]);
  if (!table) return bad_input(table.error());
  panel::ImportOptions o;
  o.today = *today;
  o.channel = a.option("channel").value_or("import");
  if (std::find(std::begin(panel::kMemberChannels), std::end(panel::kMemberChannels), o.channel) ==
      std::end(panel::kMemberChannels)) {
    return bad_input(invalid_argument("--channel", "unknown channel \"" + o.channel + "\""));
  }
  o.validity.default_months = policy->panel_fact_valid_months;
  auto members = panel::members_from_csv(*table, o);
  if (!members) return bad_input(members.error());
  auto store = open_database(a, DbUse::kWrite);
  if (!store) return bad_input(store.error());
  auto added = (*store)->import_members(
      *members, AuditEvent{"cli", "panel.import", "panel_member", table->source, {}});
  if (!added) {
    Error e = added.error();
    if (e.field.size() > 1 && e.field[0] == '/') {  // "/3/external_id" or "/3/email" → the CSV row and column
      const std::string column = e.field.find("/email") != std::string::npos ? "email" : "id";
      e.message = csv::csv_location(*table, std::stoul(e.field.substr(1)), column) + ": " + e.message;
      e.field = column;
    }
    return bad_input(e);
  }
  size_t facts = 0;
  for (const auto& m : *members) facts += m.facts.size();
  if (a.json()) {
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& m : *added) ids.push_back(m.id);
    std::cout << nlohmann::json{{"imported", added->size()}, {"facts", facts}, {"member_ids", ids}}.dump() << "\n";
  } else {
    std::cout << "imported " << added->size() << " member" << (added->size() == 1 ? "" : "s") << " with " << facts
              << " facts from " << table->source << "\n";
  }
  return kExitOk;
}

// The pool as category → value per member: a CSV (one column per category) or the store's facts.
Result<std::vector<panel::PoolRecord>> read_pool(const Args& a, Date today) {
  std::vector<panel::PoolRecord> pool;
  if (auto file = a.option("pool")) {
    auto table = csv::read_csv_file(*file);
    if (!table) return table.error();
    for (const auto& row : table->rows) {
      panel::PoolRecord r;
      for (size_t c = 0; c < table->header.size(); ++c) r[table->header[c]] = row[c];
      pool.push_back(std::move(r));
    }
    return pool;
  }
  if (!a.option("db")) return invalid_argument("--pool", "give the pool: --pool POOL.csv or --db DATABASE");
  auto store = open_database(a, DbUse::kRead);
  if (!store) return store.error();
  auto facts = (*store)->all_member_facts();
  if (!facts) return facts.error();
  return panel::pool_from_facts(*facts, today);
}

int report(const Args& a) {
  auto today = today_option(a);
  if (!today) return bad_input(today.error());
  if (!a.option("census") && !a.option("targets")) {
    return bad_input(invalid_argument("--targets", "give targets: --census ward,ethnicity,tenure and/or --targets FILE.csv"));
  }
  std::vector<analysis::CategoryTargets> targets;
  std::vector<panel::WardTargets> ward_targets;
  if (auto census = a.option("census")) {
    auto t = panel::census_report_targets(a.option("census-dir").value_or(analysis::default_census_dir()), *census,
                                          a.option("borough").value_or("E09000020"), a.flag("by-ward"));
    if (!t) return bad_input(t.error());
    targets = std::move(t->borough);
    ward_targets = std::move(t->wards);
  }
  if (auto file = a.option("targets")) {
    auto text = read_file(*file);
    if (!text) return bad_input(text.error());
    auto own = analysis::parse_targets_csv(*text, *file);
    if (!own) return bad_input(own.error());
    for (auto& t : *own) targets.push_back(std::move(t));
  }
  auto pool = read_pool(a, *today);
  if (!pool) return bad_input(pool.error());
  auto r = panel::pool_report(*pool, targets, ward_targets);
  if (!r) return bad_input(r.error());
  if (a.json()) {
    std::cout << r->to_json().dump(2) << "\n";
  } else {
    std::cout << r->to_text();
  }
  bool flagged = false;
  for (const auto& c : r->categories) {
    for (const auto& v : c.values) flagged = flagged || v.flagged;
  }
  return flagged ? kExitBreach : kExitOk;
}

}  // namespace

TOWNHALL_COMMAND("panel import",
                 "panel import MEMBERS.csv --db PATH [--create] [--audit-key FILE] [--channel import|paper|phone|face_to_face|event] "
                 "[--policy POLICY.json] [--today YYYY-MM-DD] [--json]   (all rows or none; every bad row and column is "
                 "named; --create makes the database when there is none)",
                 OptionSpec{{"db", "channel", "policy", "today", "audit-key"}, {"create"}, 1, 1}, import_members);

TOWNHALL_COMMAND("panel report",
                 "panel report (--census ward,ethnicity,tenure [--borough E09000020] [--census-dir DIR] [--by-ward]) "
                 "[--targets TARGETS.csv] (--pool POOL.csv | --db PATH) [--today YYYY-MM-DD] [--json]   "
                 "(exit 1 when a value is under-represented)",
                 OptionSpec{{"census", "borough", "census-dir", "targets", "pool", "db", "today"}, {"by-ward"}, 0, 0}, report);

}  // namespace townhall::cli
