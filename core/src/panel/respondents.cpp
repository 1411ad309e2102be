#include "townhall/panel/respondents.h"

#include <set>

namespace townhall::panel {

Result<RespondentsReport> respondents_report(ResponseStore& responses, PanelStore& panel,
                                             const std::string& consultation_id,
                                             const std::vector<analysis::CategoryTargets>& targets, Date today) {
  RespondentsReport out;
  std::set<int64_t> people;
  ResponseFilter filter;
  filter.limit = 1000;
  for (;;) {
    auto page = responses.find_responses(consultation_id, filter);
    if (!page) return page.error();
    out.responses = page->total;
    for (const auto& r : page->items) {
      if (r.person_id) people.insert(*r.person_id);
    }
    if (static_cast<int64_t>(page->items.size()) < filter.limit) break;
    filter.after_id = page->items.back().id;
  }
  out.people = static_cast<int64_t>(people.size());
  std::vector<std::pair<int64_t, std::vector<Fact>>> facts;
  for (int64_t person : people) {
    auto member = panel.member_by_person(person);
    if (!member) {
      if (member.error().code == ErrorCode::kNotFound) continue;  // a person, not a panel member
      return member.error();
    }
    auto theirs = panel.member_facts(member->id);
    if (!theirs) return theirs.error();
    facts.emplace_back(member->id, std::move(theirs).value());
  }
  std::vector<PoolRecord> pool;
  for (auto& record : pool_from_facts(facts, today)) {
    if (!record.empty()) pool.push_back(std::move(record));
  }
  out.with_facts = static_cast<int64_t>(pool.size());
  auto fit = pool_report(pool, targets);
  if (!fit) return fit.error();
  out.fit = std::move(fit).value();
  return out;
}

}  // namespace townhall::panel
