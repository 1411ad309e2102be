#include "townhall/consultations/repeat_questions.h"

#include <algorithm>
#include <set>

#include <unicode/normalizer2.h>

#include "i18n/icu_util.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"
#include "townhall/readability/segmentation.h"

namespace townhall {
namespace {

std::string nfkc_casefold(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString out = n->normalize(i18n::detail::from_utf8(text), status);
  if (U_FAILURE(status)) return std::string(text);
  return i18n::detail::to_utf8(out);
}

std::vector<std::string> strings_in(const nlohmann::json& doc, const char* key) {
  std::vector<std::string> out;
  if (auto it = doc.find(key); it != doc.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

bool same_audience(const std::vector<std::string>& wards_a, const std::string& audience_a,
                   const std::vector<std::string>& wards_b, const std::string& audience_b) {
  if (!audience_a.empty() && !audience_b.empty() && question_key(audience_a) != question_key(audience_b)) return false;
  if (wards_a.empty() || wards_b.empty()) return true;
  for (const auto& w : wards_a) {
    if (std::find(wards_b.begin(), wards_b.end(), w) != wards_b.end()) return true;
  }
  return false;
}

Date months_before(Date d, int months) {
  int total = d.year() * 12 + static_cast<int>(d.month()) - 1 - months;
  int year = total / 12;
  unsigned month = static_cast<unsigned>(total % 12) + 1;
  unsigned day = std::min(d.day(), 28u);
  return Date::from_ymd(year, month, day);
}

std::string join_words(const std::vector<std::string>& words) {
  std::string key;
  for (const auto& w : words) key += (key.empty() ? "" : " ") + w;
  return key;
}

}  // namespace

std::vector<std::string> question_words(std::string_view text, std::string_view lang) {
  if (!i18n::validate_utf8(text, "text").ok()) return {};
  i18n::init_i18n();
  return readability::split_words(nfkc_casefold(text), lang);
}

std::string question_key(std::string_view text, std::string_view lang) { return join_words(question_words(text, lang)); }

double word_jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::set<std::string> sa(a.begin(), a.end()), sb(b.begin(), b.end());
  if (sa.empty() && sb.empty()) return 1;
  size_t common = 0;
  for (const auto& w : sa) common += sb.count(w);
  return static_cast<double>(common) / static_cast<double>(sa.size() + sb.size() - common);
}

nlohmann::json RepeatedQuestion::to_json() const {
  return {{"question_id", question_id},
          {"text", text},
          {"similarity", similarity},
          {"earlier",
           {{"consultation_id", earlier_consultation_id},
            {"title", earlier_title},
            {"opens", earlier_opens.iso()},
            {"question_id", earlier_question_id},
            {"text", earlier_text}}}};
}

std::vector<RepeatedQuestion> find_repeated_questions(const nlohmann::json& draft, const std::string& draft_id,
                                                      const std::vector<AskedConsultation>& earlier, Date today,
                                                      const RepeatCheckOptions& options) {
  const Date since = months_before(today, options.months);
  const auto wards = strings_in(draft, "wards");
  const std::string audience = draft.value("audience", "");
  auto langs = strings_in(draft, "languages");
  const std::string lang = langs.empty() ? "en-GB" : langs.front();

  struct Prepared {
    const AskedConsultation* c;
    const nlohmann::json* q;
    std::string key;
    std::vector<std::string> words;
  };
  std::vector<Prepared> pool;
  for (const auto& c : earlier) {
    if (c.id == draft_id || c.opens < since) continue;
    if (!same_audience(wards, audience, c.wards, c.audience)) continue;
    for (const auto& q : c.questions) {
      auto words = question_words(q.value("text", ""), c.language);
      std::string key = join_words(words);
      pool.push_back({&c, &q, std::move(key), std::move(words)});
    }
  }
  std::vector<RepeatedQuestion> out;
  auto qs = draft.find("questions");
  if (qs == draft.end() || !qs->is_array()) return out;
  for (const auto& q : *qs) {
    const std::string text = q.value("text", "");
    auto words = question_words(text, lang);
    const std::string key = join_words(words);
    const Prepared* best = nullptr;
    double best_sim = -1;
    for (const auto& p : pool) {
      double sim = (!key.empty() && key == p.key) ? 1.0 : word_jaccard(words, p.words);
      if (sim < options.threshold) continue;
      if (sim > best_sim || (sim == best_sim && best && p.c->opens > best->c->opens)) {
        best = &p;
        best_sim = sim;
      }
    }
    if (!best) continue;
    RepeatedQuestion r;
    r.question_id = q.value("id", "");
    r.text = text;
    r.earlier_consultation_id = best->c->id;
    r.earlier_title = best->c->title;
    r.earlier_question_id = best->q->value("id", "");
    r.earlier_text = best->q->value("text", "");
    r.earlier_opens = best->c->opens;
    r.similarity = best_sim;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace townhall
