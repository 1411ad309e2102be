#include "townhall/panel/member_data.h"

namespace townhall::panel {

Result<nlohmann::json> member_data(PanelStore& panel, ResponseStore& response_store, PeopleStore& people,
                                   int64_t member_id) {
  auto m = panel.get_member(member_id);
  if (!m) return m.error();
  auto facts = panel.member_facts(member_id);
  if (!facts) return facts.error();
  auto invitations = panel.member_invitations(member_id);
  if (!invitations) return invitations.error();
  auto responses = response_store.responses_of_person(m->person_id);
  if (!responses) return responses.error();
  auto person = people.get_person(m->person_id);
  if (!person) return person.error();
  nlohmann::json out = {{"member", m->to_json()},
                        {"equality_data", person->equality_data ? *person->equality_data : nlohmann::json(nullptr)},
                        {"facts", nlohmann::json::array()},
                        {"invitations", nlohmann::json::array()},
                        {"responses", nlohmann::json::array()}};
  for (const auto& f : *facts) out["facts"].push_back(f.to_json());
  for (const auto& i : *invitations) out["invitations"].push_back(i.to_json());
  for (const auto& r : *responses) {
    out["responses"].push_back({{"reference", r.reference},
                                {"consultation_id", r.consultation_id},
                                {"channel", r.channel},
                                {"language", r.language},
                                {"created_at", r.created_at}});
  }
  return out;
}

}  // namespace townhall::panel
