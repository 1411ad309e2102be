#include "townhall/panel/ask_once.h"

#include <algorithm>
#include <chrono>

#include "townhall/responses/answers.h"

namespace townhall::panel {

int FactValidity::months_for(const std::string& key) const {
  for (const auto& [k, m] : per_key) {
    if (k == key) return m;
  }
  return default_months;
}

std::optional<Date> FactValidity::until(const std::string& key, Date recorded_on) const {
  int months = months_for(key);
  if (months <= 0) return std::nullopt;
  int total = recorded_on.year() * 12 + static_cast<int>(recorded_on.month()) - 1 + months;
  int year = total / 12;
  unsigned month = static_cast<unsigned>(total % 12) + 1;
  auto last = std::chrono::year_month_day_last(std::chrono::year(year), std::chrono::month_day_last(std::chrono::month(month)));
  unsigned day = std::min(recorded_on.day(), static_cast<unsigned>(last.day()));
  return Date::from_ymd(year, month, day);
}

std::string fact_key_of(const nlohmann::json& question) {
  auto it = question.find("fact_key");
  return (it != question.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

bool fact_answers(const nlohmann::json& question, const Fact& fact, Date today) {
  if (!fact.valid_on(today)) return false;
  nlohmann::json q = question;
  q["required"] = true;
  nlohmann::json answers = {{question.value("id", ""), fact.value}};
  return validate_answers(std::vector<nlohmann::json>{q}, answers).ok();
}

std::vector<nlohmann::json> questions_for_member(const std::vector<nlohmann::json>& questions,
                                                 const std::vector<Fact>& facts, Date today) {
  std::vector<nlohmann::json> out;
  out.reserve(questions.size());
  for (const auto& q : questions) {
    nlohmann::json shown = q;
    std::string key = fact_key_of(q);
    if (!key.empty()) {
      const Fact* f = find_fact(facts, key);
      bool known = f && fact_answers(q, *f, today);
      shown["known"] = known;
      if (known) {
        shown["prefill"] = f->value;
        nlohmann::json prov = {{"channel", f->channel}, {"source", f->source}, {"recorded_on", f->recorded_on.iso()}};
        if (f->valid_until) prov["valid_until"] = f->valid_until->iso();
        shown["fact"] = prov;
      }
    }
    out.push_back(std::move(shown));
  }
  return out;
}

std::vector<std::string> questions_to_ask(const std::vector<nlohmann::json>& questions,
                                          const std::vector<Fact>& facts, Date today) {
  std::vector<std::string> out;
  for (const auto& q : questions_for_member(questions, facts, today)) {
    if (!q.value("known", false)) out.push_back(q.value("id", ""));
  }
  return out;
}

AskOnceOutcome apply_ask_once(const std::vector<nlohmann::json>& questions, const nlohmann::json& answers,
                              const std::vector<Fact>& facts, Date today, const std::string& channel,
                              const std::string& source, bool consent, const FactValidity& validity) {
  AskOnceOutcome out;
  out.answers = answers.is_object() ? answers : nlohmann::json::object();
  for (const auto& q : questions) {
    std::string key = fact_key_of(q);
    std::string id = q.value("id", "");
    if (key.empty() || id.empty()) continue;
    const Fact* f = find_fact(facts, key);
    auto given = out.answers.find(id);
    if (given == out.answers.end() || given->is_null()) {
      if (f && fact_answers(q, *f, today)) {
        out.answers[id] = f->value;
        out.filled.push_back(id);
      }
      continue;
    }
    // The member answered: that answer is now the fact, unless it is the same valid fact again.
    if (f && f->value == *given && f->valid_on(today)) continue;
    Fact nf;
    nf.key = key;
    nf.value = *given;
    nf.channel = channel;
    nf.source = source;
    nf.recorded_on = today;
    nf.consent = consent;
    nf.valid_until = validity.until(key, today);
    bool dup = false;
    for (auto& u : out.updates) {
      if (u.key == key) {
        u = nf;  // two questions bound to one fact: the later answer wins
        dup = true;
      }
    }
    if (!dup) out.updates.push_back(std::move(nf));
  }
  return out;
}

}  // namespace townhall::panel
