#include "townhall/analysis/response_export.h"

#include <algorithm>

#include "townhall/analysis/response_table.h"

namespace townhall::analysis {
namespace {

// "q3[library]" -> "library": the option a multiple-choice or ranking column stands for.
std::string option_of_column(const ResponseColumn& c) {
  const size_t open = c.question_id.size() + 1;
  if (c.name.size() <= open) return c.name;
  return c.name.substr(open, c.name.size() - open - 1);
}

std::string joined_cells(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += "; ";
    out += p;
  }
  return out;
}

}  // namespace

Result<ResponseSheet> ResponseSheet::create(const nlohmann::json& questions) {
  // The table builder checks the questions; building an empty table now reports a bad one here
  // rather than on the first page of responses.
  auto check = ResponseTableBuilder::create(questions);
  if (!check) return check.error();
  ResponseSheet s;
  s.questions_ = questions;
  s.header_ = {"Reference", "Received", "Channel", "Language"};
  for (const auto& q : questions) {
    auto text = q.find("text");
    s.header_.push_back(text != q.end() && text->is_string() && !text->get<std::string>().empty()
                            ? text->get<std::string>()
                            : q.at("id").get<std::string>());
  }
  return s;
}

Result<std::vector<std::vector<ExportCell>>> ResponseSheet::rows(std::span<const StoredResponse> responses) const {
  auto builder = ResponseTableBuilder::create(questions_);
  if (!builder) return builder.error();
  builder->reserve(responses.size());
  for (size_t i = 0; i < responses.size(); ++i) {
    const auto& r = responses[i];
    if (auto st = builder->add(&r.answers, r.channel, r.language, r.created_at, r.reference); !st) {
      // The builder names the row by its place in this page; the officer knows it by reference.
      std::string field = st.error().field;
      const std::string place = "/responses/" + std::to_string(i);
      if (field.rfind(place, 0) == 0) field = "/responses/" + r.reference + field.substr(place.size());
      return invalid_argument(field, st.error().message);
    }
  }
  ResponseTable t = std::move(*builder).finish();
  std::vector<std::vector<ExportCell>> out(t.rows);
  for (size_t i = 0; i < t.rows; ++i) {
    auto& row = out[i];
    row.reserve(header_.size());
    row.push_back({responses[i].reference});
    row.push_back({responses[i].created_at});
    row.push_back({responses[i].channel});
    row.push_back({responses[i].language});
    // Columns come question by question (a multiple choice or ranking as one column per option).
    for (size_t c = 0; c < t.columns.size();) {
      const ResponseColumn& first = t.columns[c];
      size_t end = c + 1;
      while (end < t.columns.size() && t.columns[end].question_id == first.question_id) ++end;
      ExportCell cell;
      if (first.question_type == "multiple_choice" || first.question_type == "ranking") {
        std::vector<std::pair<int64_t, std::string>> chosen;
        for (size_t k = c; k < end; ++k) {
          const ResponseColumn& col = t.columns[k];
          if (col.missing[i]) continue;
          if (col.kind == ColumnKind::kBoolean && col.values[i]) chosen.emplace_back(static_cast<int64_t>(k), option_of_column(col));
          if (col.kind == ColumnKind::kInteger) chosen.emplace_back(col.integers[i], option_of_column(col));
        }
        std::stable_sort(chosen.begin(), chosen.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<std::string> names;
        for (auto& [_, name] : chosen) names.push_back(std::move(name));
        cell.text = joined_cells(names);
      } else if (first.kind == ColumnKind::kCategorical) {
        if (first.codes[i] >= 0) {
          cell.text = first.categories[static_cast<size_t>(first.codes[i])];
          if (first.question_type == "scale") {
            cell.is_number = true;
            cell.number = std::stod(cell.text);
          }
        }
      } else if (first.kind == ColumnKind::kBoolean) {
        if (!first.missing[i]) cell.text = first.values[i] ? "Yes" : "No";
      } else if (first.kind == ColumnKind::kText) {
        if (!first.missing[i]) cell.text = std::string(first.text.at(i));
      }
      row.push_back(std::move(cell));
      c = end;
    }
    // A question with no column (a multiple choice or ranking without options) still has its cell.
    while (row.size() < header_.size()) row.push_back({});
  }
  return out;
}

Status export_responses(ResponseStore& store, const std::string& consultation_id, const ResponseSheet& sheet,
                        ResponseFilter filter,
                        const std::function<Status(const std::vector<ExportCell>&)>& sink) {
  filter.limit = kExportPage;
  filter.offset = 0;
  filter.after_id = 0;
  for (;;) {
    auto page = store.find_responses(consultation_id, filter);
    if (!page) return page.error();
    if (page->items.empty()) return {};
    auto rows = sheet.rows(page->items);
    if (!rows) return rows.error();
    for (const auto& row : *rows) {
      if (auto st = sink(row); !st) return st;
    }
    // Keyset paging: responses stored meanwhile come after the last one read, never twice.
    filter.after_id = page->items.back().id;
    if (static_cast<int64_t>(page->items.size()) < filter.limit) return {};
  }
}

}  // namespace townhall::analysis
