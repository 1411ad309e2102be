#include "townhall/analysis/response_counts.h"

#include <map>

#include "townhall/analysis/response_table.h"

namespace townhall::analysis {
namespace {

constexpr int64_t kCountPage = 1000;

std::string option_label_of(const ResponseColumn& c) {
  const size_t open = c.question_id.size() + 1;
  if (c.name.size() <= open) return c.name;
  return c.name.substr(open, c.name.size() - open - 1);
}

}  // namespace

Result<ResponseCounts> count_answers(ResponseStore& store, const std::string& consultation_id,
                                     const nlohmann::json& questions) {
  auto check = ResponseTableBuilder::create(questions);
  if (!check) return check.error();
  ResponseCounts out;
  // The questions and their options, from an empty table's columns.
  ResponseTable shape = std::move(*check).finish();
  for (const auto& q : questions) {
    QuestionCounts qc;
    qc.id = q.value("id", "");
    qc.type = q.value("type", "");
    auto text = q.find("text");
    qc.text = text != q.end() && text->is_string() ? text->get<std::string>() : qc.id;
    out.questions.push_back(std::move(qc));
  }
  std::map<std::string, size_t> question_index;
  for (size_t i = 0; i < out.questions.size(); ++i) question_index[out.questions[i].id] = i;
  for (const auto& c : shape.columns) {
    auto& qc = out.questions[question_index.at(c.question_id)];
    if (c.kind == ColumnKind::kCategorical) {
      for (const auto& label : c.categories) qc.options.push_back({label, 0});
    } else if (c.kind == ColumnKind::kBoolean && c.question_type == "yes_no") {
      qc.options = {{"Yes", 0}, {"No", 0}};
    } else if (c.kind == ColumnKind::kBoolean || c.kind == ColumnKind::kInteger) {
      qc.options.push_back({option_label_of(c), 0});
    }
  }
  for (const auto& ch : shape.channel_categories) out.channels.push_back({ch, 0});
  std::map<std::string, size_t> language_index;

  ResponseFilter filter;
  filter.limit = kCountPage;
  for (;;) {
    auto page = store.find_responses(consultation_id, filter);
    if (!page) return page.error();
    if (page->items.empty()) break;
    auto builder = ResponseTableBuilder::create(questions);
    if (!builder) return builder.error();
    for (size_t i = 0; i < page->items.size(); ++i) {
      const auto& r = page->items[i];
      if (auto st = builder->add(&r.answers, r.channel, r.language, r.created_at, r.reference); !st) {
        return invalid_argument("/responses/" + r.reference, st.error().message);
      }
    }
    ResponseTable t = std::move(*builder).finish();
    out.responses += static_cast<int64_t>(t.rows);
    for (size_t i = 0; i < t.rows; ++i) {
      const int32_t ch = t.channel_codes[i];
      if (ch >= 0 && static_cast<size_t>(ch) < out.channels.size()) ++out.channels[static_cast<size_t>(ch)].count;
      const std::string& language = page->items[i].language;
      auto [it, added] = language_index.emplace(language, out.languages.size());
      if (added) out.languages.push_back({language, 0});
      ++out.languages[it->second].count;
    }
    // Column by column; a multiple choice or ranking has one column per option, in order.
    std::map<std::string, size_t> option_at;
    std::map<std::string, std::vector<uint8_t>> answered;
    for (const auto& c : t.columns) {
      auto& qc = out.questions[question_index.at(c.question_id)];
      auto& any = answered[c.question_id];
      any.resize(t.rows, 0);
      const size_t k = option_at[c.question_id]++;
      for (size_t i = 0; i < t.rows; ++i) {
        switch (c.kind) {
          case ColumnKind::kCategorical:
            if (c.codes[i] >= 0) {
              ++qc.options[static_cast<size_t>(c.codes[i])].count;
              any[i] = 1;
            }
            break;
          case ColumnKind::kBoolean:
            if (c.missing[i]) break;
            any[i] = 1;
            if (c.question_type == "yes_no") ++qc.options[c.values[i] ? 0 : 1].count;
            else if (c.values[i]) ++qc.options[k].count;
            break;
          case ColumnKind::kInteger:
            if (c.missing[i]) break;
            any[i] = 1;
            if (c.integers[i] == 1) ++qc.options[k].count;
            break;
          case ColumnKind::kText:
            if (!c.missing[i]) any[i] = 1;
            break;
        }
      }
    }
    for (const auto& [qid, any] : answered) {
      for (uint8_t a : any) out.questions[question_index.at(qid)].answered += a;
    }
    filter.after_id = page->items.back().id;
    if (static_cast<int64_t>(page->items.size()) < filter.limit) break;
  }
  return out;
}

}  // namespace townhall::analysis
