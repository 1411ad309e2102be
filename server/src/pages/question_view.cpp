// The template data of a question page (question_view.h).
#include "pages/question_view.h"

#include <algorithm>

#include "pages/handlers.h"

#include "townhall/i18n/catalog.h"

namespace townhall::server {

void set_question_described_by(nlohmann::json& data, bool has_error) {
  std::string ids = data.value("hint", nlohmann::json(false)).is_string() ? "answer-hint" : "";
  if (has_error) ids += ids.empty() ? "answer-error" : " answer-error";
  data["described_by"] = ids.empty() ? nlohmann::json(false) : nlohmann::json(ids);
}

nlohmann::json question_view_data(const Localiser& loc, const std::string& id, const std::vector<nlohmann::json>& qs,
                                  const Content& content, size_t index, const nlohmann::json& value,
                                  const std::string& raw_text) {
  const auto& q = qs[index];
  const auto& shown = content.questions.size() == qs.size() ? content.questions[index] : q;
  const std::string at = "/items/" + std::to_string(index);
  const std::string type = q["type"];
  nlohmann::json d = {{"id", id},
                      {"number", std::to_string(index + 1)},
                      {"text", shown["text"]},
                      {"required", q.value("required", false)},
                      {"is_text", type == "free_text"},
                      {"is_fieldset", type != "free_text"},
                      {"is_radios", type == "yes_no" || type == "single_choice" || type == "scale"},
                      {"inline", type == "yes_no" || type == "scale"},
                      {"is_checkboxes", type == "multiple_choice"},
                      {"is_ranking", type == "ranking"}};
  merge(d, content.attrs(at + "/text"));
  // The GOV.UK hint: under the question, in the language it is shown in (English when its
  // translation is missing), and named by the fieldset's or textarea's aria-describedby.
  d["hint"] = false;
  if (auto hint = shown.find("hint"); hint != shown.end() && hint->is_string() && !hint->get_ref<const std::string&>().empty()) {
    const auto attrs = content.attrs(at + "/hint");
    d["hint"] = *hint;
    d["hint_lang"] = attrs["clang"];
    d["hint_dir"] = attrs["cdir"];
  }
  set_question_described_by(d, false);
  d["preview_next"] = false;  // the staff preview's Continue link instead of the form
  nlohmann::json choices = nlohmann::json::array();
  auto add = [&](const std::string& v, const std::string& label_html, bool is_content, bool checked) {
    size_t n = choices.size();
    nlohmann::json choice = {{"input_id", n == 0 ? std::string("answer") : "answer-" + std::to_string(n + 1)},
                             {"value", v},
                             {"label", label_html},
                             {"content", is_content},
                             {"checked", checked},
                             {"index", std::to_string(n + 1)}};
    if (is_content) merge(choice, content.attrs(at + "/option_labels/" + std::to_string(n)));
    choices.push_back(choice);
  };
  if (type == "yes_no") {
    add("yes", loc.html("common.yes"), false, value == true);
    add("no", loc.html("common.no"), false, value == false);
  } else if (type == "scale") {
    int64_t lo = q.value("min", int64_t{1}), hi = q.value("max", int64_t{5});
    for (int64_t v = lo; v <= hi; ++v) {
      add(std::to_string(v), pages::escape_html(i18n::format_number(loc.lang(), static_cast<double>(v), 0)), false,
          value.is_number_integer() && value.get<int64_t>() == v);
    }
  } else if (type == "single_choice" || type == "multiple_choice" || type == "ranking") {
    const auto& options = q["options"];
    for (size_t i = 0; i < options.size(); ++i) {
      const std::string o = options[i];
      bool checked = value == o || (value.is_array() && std::find(value.begin(), value.end(), o) != value.end());
      std::string label = o;
      if (auto shown_options = shown.find("option_labels"); shown_options != shown.end() && i < shown_options->size()) {
        label = (*shown_options)[i].get<std::string>();
      }
      add(o, pages::escape_html(label), true, checked);
      if (type == "ranking") {
        nlohmann::json ranks = nlohmann::json::array();
        int64_t chosen = 0;
        if (value.is_array()) {
          auto it = std::find(value.begin(), value.end(), o);
          if (it != value.end()) chosen = static_cast<int64_t>(it - value.begin()) + 1;
        }
        for (size_t r = 1; r <= options.size(); ++r) {
          ranks.push_back({{"value", std::to_string(r)}, {"selected", chosen == static_cast<int64_t>(r)}});
        }
        choices.back()["ranks"] = ranks;
      }
    }
  }
  d["choices"] = choices;
  d["value"] = raw_text.empty() && value.is_string() ? value.get<std::string>() : raw_text;
  return d;
}

Result<HttpResponse> render_question_preview(Api::Impl& api, const ConsultationRecord& rec, const Localiser& loc,
                                             const std::string& content_lang, const std::string& number) {
  const auto qs = rec.document.value("questions", nlohmann::json::array()).get<std::vector<nlohmann::json>>();
  size_t n = 0;
  if (!number.empty() && number.size() <= 4 && number.find_first_not_of("0123456789") == std::string::npos) n = std::stoul(number);
  if (n < 1 || n > qs.size()) return Error{ErrorCode::kNotFound, "question", "no such question"};
  const Content content = content_of(api.store, rec, content_lang, qs);
  nlohmann::json d = question_view_data(loc, rec.id, qs, content, n - 1, nullptr, "");
  d["question_of"] = loc.html("journey.question_of", {{"number", static_cast<int64_t>(n)}, {"total", static_cast<int64_t>(qs.size())}});
  d["preview_next"] = preview_question_href(rec.id, content_lang, n < qs.size() ? n + 1 : 0);
  PageOptions o;
  o.title = content.questions[n - 1].value("text", "");
  o.back = preview_question_href(rec.id, content_lang, n - 1);
  o.preview = true;
  return pages::render_page(loc, "question", d, o);
}

}  // namespace townhall::server
