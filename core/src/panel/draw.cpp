#include "townhall/panel/draw.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace townhall::panel {
namespace {

std::string ascii_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The group a contact exclusion is counted under (the member's own dates go into the detail).
std::string contact_reason(const ContactExclusion& e, const DrawRequest& r) {
  if (e.reason.rfind("already invited", 0) == 0) return "already invited to " + r.consultation_id;
  const int n = e.invitations_in_window;
  return "invited " + std::to_string(n) + " time" + (n == 1 ? "" : "s") + " in the last " +
         std::to_string(r.policy.window_days) + " days (" + r.policy.describe() + ")";
}

Error quota_error(size_t row, const std::string& member, const std::string& message) {
  return Error{ErrorCode::kInvalidArgument, "/quotas/" + std::to_string(row) + "/" + member, message};
}

}  // namespace

Result<std::vector<selection::Category>> quotas_from_json(const nlohmann::json& rows) {
  if (!rows.is_array() || rows.empty()) return invalid_argument("/quotas", "give at least one quota row");
  std::vector<selection::Category> cats;
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (!row.is_object()) return quota_error(i, "", "a quota row is an object {category, value, min, max}");
    for (const char* key : {"category", "value"}) {
      if (!row.contains(key) || !row[key].is_string() || row[key].get<std::string>().empty()) {
        return quota_error(i, key, std::string(key) + " must be a non-empty string");
      }
    }
    for (const char* key : {"min", "max"}) {
      if (!row.contains(key) || !row[key].is_number_integer() || row[key].get<int64_t>() < 0 ||
          row[key].get<int64_t>() > 1000000) {
        return quota_error(i, key, std::string(key) + " must be a whole number from 0");
      }
    }
    const std::string category = row["category"], value = row["value"];
    const int mn = row["min"].get<int>(), mx = row["max"].get<int>();
    if (mn > mx) return quota_error(i, "min", "min " + std::to_string(mn) + " exceeds max " + std::to_string(mx));
    if (auto st = check_fact_key(category, "/quotas/" + std::to_string(i) + "/category"); !st) return st.error();
    auto [it, inserted] = index.emplace(category, cats.size());
    if (inserted) cats.push_back(selection::Category{category, {}, {}, {}});
    selection::Category& c = cats[it->second];
    if (std::find(c.values.begin(), c.values.end(), value) != c.values.end()) {
      return quota_error(i, "value", "value '" + value + "' is listed twice for " + category);
    }
    c.values.push_back(value);
    c.min.push_back(mn);
    c.max.push_back(mx);
  }
  return cats;
}

DrawPool prepare_draw(const DrawInput& in, const DrawRequest& r) {
  DrawPool out;
  out.instance.categories = r.quotas;
  std::vector<int64_t> ids;
  for (const auto& m : in.members) ids.push_back(m.id);
  std::sort(ids.begin(), ids.end());
  auto screen = screen_contacts(ids, in.invitations, r.policy, r.today, r.consultation_id);
  std::map<int64_t, const ContactExclusion*> over_limit;
  for (const auto& e : screen.excluded) over_limit[e.member_id] = &e;
  std::map<int64_t, const std::vector<Fact>*> facts;
  for (const auto& [id, fs] : in.facts) facts[id] = &fs;
  std::map<int64_t, const Member*> member;
  for (const auto& m : in.members) member[m.id] = &m;

  std::map<std::string, int64_t> counts;
  std::vector<std::string> first_seen;  // reasons in order of first use, to break ties stably
  auto exclude = [&](int64_t id, std::string reason, std::string detail) {
    if (counts[reason]++ == 0) first_seen.push_back(reason);
    out.excluded.push_back({id, std::move(reason), std::move(detail)});
  };
  static const std::vector<Fact> kNoFacts;
  for (int64_t id : ids) {
    if (auto c = over_limit.find(id); c != over_limit.end()) {
      exclude(id, contact_reason(*c->second, r), c->second->reason);
      continue;
    }
    auto f = facts.find(id);
    const std::vector<Fact>& fs = f == facts.end() ? kNoFacts : *f->second;
    selection::Person p;
    p.id = std::to_string(id);
    std::string missing, unknown_category, unknown_value;
    for (const auto& cat : r.quotas) {
      const Fact* fact = find_fact(fs, cat.name);
      if (!fact || !fact->valid_on(r.today) || !fact->value.is_string()) {
        missing = cat.name;
        break;
      }
      const std::string value = fact->value.get<std::string>();
      auto v = std::find(cat.values.begin(), cat.values.end(), value);
      if (v == cat.values.end()) {
        v = std::find_if(cat.values.begin(), cat.values.end(),
                         [&](const std::string& q) { return ascii_lower(q) == ascii_lower(value); });
      }
      if (v == cat.values.end()) {
        unknown_category = cat.name;
        unknown_value = value;
        break;
      }
      p.values.push_back(static_cast<int>(v - cat.values.begin()));
    }
    if (!missing.empty()) {
      exclude(id, "no valid " + missing, "no " + missing + " fact valid on " + r.today.iso() + " (or no consent to reuse it)");
      continue;
    }
    if (!unknown_category.empty()) {
      exclude(id, unknown_category + " not among the quota values",
              unknown_category + " '" + unknown_value + "' is not a value in the quotas");
      continue;
    }
    if (r.households) {
      std::string address, postcode;
      if (auto m = member.find(id); m != member.end() && m->second->personal.contains("address") &&
                                    m->second->personal["address"].is_string()) {
        address = m->second->personal["address"].get<std::string>();
      }
      if (const Fact* pc = find_fact(fs, "postcode"); pc && pc->value.is_string()) postcode = pc->value.get<std::string>();
      if (!address.empty()) p.household = selection::normalise_household({address, postcode});
    }
    p.row = out.instance.people.size();
    out.instance.people.push_back(std::move(p));
  }
  for (const auto& reason : first_seen) out.by_reason.push_back({reason, counts[reason]});
  std::stable_sort(out.by_reason.begin(), out.by_reason.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::string describe_exclusions(const ExclusionCounts& counts) {
  int64_t total = 0;
  for (const auto& [reason, n] : counts) total += n;
  if (total == 0) return "nobody excluded";
  std::string s = std::to_string(total) + " excluded:";
  for (size_t i = 0; i < counts.size(); ++i) s += (i ? "; " : " ") + std::to_string(counts[i].second) + " " + counts[i].first;
  return s;
}

nlohmann::json exclusions_json(const ExclusionCounts& counts) {
  int64_t total = 0;
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& [reason, n] : counts) {
    total += n;
    reasons.push_back({{"reason", reason}, {"count", n}});
  }
  return {{"count", total}, {"summary", describe_exclusions(counts)}, {"by_reason", reasons}};
}

nlohmann::json DrawPool::exclusions_json() const {
  nlohmann::json j = panel::exclusions_json(by_reason);
  nlohmann::json members = nlohmann::json::array();
  for (const auto& e : excluded) members.push_back({{"member_id", e.member_id}, {"reason", e.reason}, {"detail", e.detail}});
  j["members"] = members;
  return j;
}

namespace {

selection::SelectionOptions selection_options(const DrawRequest& r) {
  selection::SelectionOptions o;
  o.k = r.size;
  o.algorithm = r.algorithm;
  o.seed = r.seed;
  o.households = r.households;
  o.max_seconds = r.max_seconds;
  o.progress = r.progress;
  return o;
}

}  // namespace

Result<DrawResult> run_draw(const DrawPool& pool, const DrawRequest& r) {
  const size_t eligible = pool.instance.people.size();
  if (r.size <= 0) return invalid_argument("size", "panel size must be positive");
  if (static_cast<size_t>(r.size) > eligible) {
    return invalid_argument("size", "panel size " + std::to_string(r.size) + " but only " + std::to_string(eligible) +
                                        " members can be drawn (" + pool.exclusion_summary() + ")");
  }
  auto sel = selection::select_panel(pool.instance, selection_options(r));
  if (!sel) return sel.error();
  DrawResult out;
  out.eligible = eligible;
  for (const auto& id : sel->selected) out.selected.push_back(std::stoll(id));
  std::sort(out.selected.begin(), out.selected.end());
  out.selection = std::move(*sel);
  return out;
}

std::vector<selection::QuotaRelaxation> draw_relaxation(const DrawPool& pool, const DrawRequest& r) {
  std::vector<size_t> available;
  auto problem = selection::reduce_problem(pool.instance, selection_options(r), &available);
  if (!problem) return {};
  return selection::suggest_relaxation(*problem);
}

nlohmann::json DrawResult::to_json(const DrawRequest& r, const DrawPool& pool) const {
  nlohmann::json probs = nlohmann::json::object();
  for (const auto& [id, p] : selection.probabilities) probs[id] = p;
  nlohmann::json out = {{"consultation_id", r.consultation_id},
          {"algorithm", selection.algorithm},
          {"size", r.size},
          {"selected", selected},
          {"probabilities", probs},
          {"min_probability", selection.min_probability},
          {"gini", selection.gini},
          {"panels_in_support", selection.panels_in_support},
          {"seed", selection.seed},
          {"commitment", selection.commitment},
          {"eligible", eligible},
          {"excluded", pool.exclusions_json()},
          {"policy", r.policy.describe()},
          {"seconds", selection.seconds}};
  if (selection.certificate) {
    out["certificate"] = selection::certificate_json(*selection.certificate);
    out["phases"] = selection::phases_json(*selection.certificate);
  }
  return out;
}

}  // namespace townhall::panel
