// The console's responses of a consultation: the table with its filters, one response, and an
// officer keying in a paper, phone or face-to-face response. The table reads the core's
// ResponseStore::find_responses; an entry goes through submit_response(), the API's own checks,
// with the officer as the respondent (so the core records them as entered_by and audits it).
#include "staff/responses_pages.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "townhall/access/token.h"
#include "townhall/submissions/submit.h"

namespace townhall::server::staff {
namespace {

constexpr int64_t kResponsesPerPage = 50;
constexpr size_t kSearchMaxLength = 200;

std::string query_escape(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

bool plausible_language_tag(const std::string& s) {
  if (s.empty() || s.size() > 35) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '-'; });
}

// "2026-03-04T10:15:00Z" as "4 March 2026, 10:15 UTC".
std::string received_label(const std::string& created_at) {
  if (created_at.size() < 16) return created_at;
  return format_date(created_at.substr(0, 10)) + ", " + created_at.substr(11, 5) + " UTC";
}

std::string entered_by_label(const StaffContext& sc, const StoredResponse& r) {
  if (!r.entered_by) return r.channel == "online" ? "The respondent, online" : "Not recorded";
  if (sc.staff && sc.staff->user.id == *r.entered_by) return sc.staff->user.name + " (you)";
  return "Staff user " + std::to_string(*r.entered_by);
}

// The languages offered in the filter and the entry form: English, then those the consultation
// promises.
std::vector<std::string> languages_of(const nlohmann::json& doc) {
  std::vector<std::string> out = {"en-GB"};
  if (auto it = doc.find("languages"); it != doc.end() && it->is_array()) {
    for (const auto& l : *it) {
      if (l.is_string() && std::find(out.begin(), out.end(), l.get<std::string>()) == out.end()) {
        out.push_back(l.get<std::string>());
      }
    }
  }
  return out;
}

nlohmann::json choice_list(const std::vector<std::pair<std::string, std::string>>& values, const std::string& chosen) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [value, label] : values) out.push_back({{"value", value}, {"label", label}, {"selected", value == chosen}});
  return out;
}

// An answer as the detail page shows it.
std::string answer_text(const nlohmann::json& q, const nlohmann::json& a) {
  if (a.is_null()) return "";
  if (a.is_boolean()) return a.get<bool>() ? "Yes" : "No";
  if (a.is_number_integer()) return std::to_string(a.get<int64_t>());
  if (a.is_string()) return a.get<std::string>();
  if (a.is_array()) {
    const bool ranking = q.value("type", "") == "ranking";
    std::string out;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!out.empty()) out += ranking ? ", " : "; ";
      if (ranking) out += std::to_string(i + 1) + ". ";
      out += a[i].is_string() ? a[i].get<std::string>() : a[i].dump();
    }
    return out;
  }
  return a.dump();
}

Result<ConsultationRecord> consultation_of(Api::Impl& api, const std::string& id) { return api.store.get_consultation(id); }

// ---- the table -----------------------------------------------------------------------------------

Result<HttpResponse> get_responses(Api::Impl& api, StaffContext& sc) {
  const std::string id = sc.ctx.params["id"];
  auto rec = consultation_of(api, id);
  if (!rec) return rec.error();
  FilterForm form = read_filter_form(sc.ctx.query);
  int64_t page = 1;
  if (auto it = sc.ctx.query.find("page"); it != sc.ctx.query.end()) {
    page = 0;
    if (!it->second.empty() && it->second.size() < 7 &&
        std::all_of(it->second.begin(), it->second.end(), [](unsigned char c) { return std::isdigit(c); })) {
      page = std::stoll(it->second);
    }
    if (page < 1) return Error{ErrorCode::kNotFound, "page", "no such page"};
  }
  const std::string base = "/staff/consultations/" + id;
  nlohmann::json data = {{"id", id},
                         {"title", rec->document.value("title", id)},
                         {"value_from", form.values.value("from", "")},
                         {"value_to", form.values.value("to", "")},
                         {"value_q", form.values.value("q", "")},
                         {"may_enter", sc.staff->user.role == Role::kOfficer || sc.staff->user.role == Role::kAdmin},
                         {"is_open", rec->status == ConsultationStatus::kOpen}};
  std::vector<std::pair<std::string, std::string>> channels = {{"", "Any channel"}};
  for (const auto& c : response_channels()) channels.emplace_back(c.id, c.label);
  data["channels"] = choice_list(channels, form.filter.channel);
  std::vector<std::pair<std::string, std::string>> languages = {{"", "Any language"}};
  auto offered = languages_of(rec->document);
  if (!form.filter.language.empty() && std::find(offered.begin(), offered.end(), form.filter.language) == offered.end()) {
    offered.push_back(form.filter.language);
  }
  for (const auto& l : offered) languages.emplace_back(l, l);
  data["languages"] = choice_list(languages, form.filter.language);
  StaffPage p;
  p.title = "Responses: " + rec->document.value("title", id);
  p.back = base;
  if (!form.errors.empty()) {
    p.has_error = true;
    p.status = 400;
    data["errors"] = form.errors;
    data["rows"] = nlohmann::json::array();
    data["none"] = true;
    return render_staff_page(sc, "staff_responses", data, p);
  }
  ResponseFilter filter = form.filter;
  filter.limit = kResponsesPerPage;
  filter.offset = (page - 1) * kResponsesPerPage;
  auto found = api.store.find_responses(id, filter);
  if (!found) return found.error();
  if (page > 1 && found->items.empty()) return Error{ErrorCode::kNotFound, "page", "no such page"};
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : found->items) {
    rows.push_back({{"reference", r.reference},
                    {"href", base + "/responses/" + r.reference},
                    {"received", received_label(r.created_at)},
                    {"channel", channel_label(r.channel)},
                    {"language", r.language},
                    {"entered_by", entered_by_label(sc, r)}});
  }
  const std::string q = form.query.empty() ? "" : form.query + "&";
  data["rows"] = rows;
  data["none"] = rows.empty();
  data["total"] = found->total;
  data["filtered"] = !form.query.empty();
  data["first"] = found->items.empty() ? 0 : filter.offset + 1;
  data["last"] = filter.offset + static_cast<int64_t>(found->items.size());
  if (page > 1) data["previous"] = base + "/responses?" + q + "page=" + std::to_string(page - 1);
  if (filter.offset + kResponsesPerPage < found->total) data["next"] = base + "/responses?" + q + "page=" + std::to_string(page + 1);
  const std::string suffix = form.query.empty() ? "" : "?" + form.query;
  data["csv"] = base + "/export.csv" + suffix;
  data["xlsx"] = base + "/export.xlsx" + suffix;
  data["charts"] = base + "/charts";
  return render_staff_page(sc, "staff_responses", data, p);
}

Result<HttpResponse> get_response(Api::Impl& api, StaffContext& sc) {
  const std::string id = sc.ctx.params["id"];
  auto rec = consultation_of(api, id);
  if (!rec) return rec.error();
  auto r = api.store.response_by_reference(sc.ctx.params["reference"]);
  if (!r) return r.error();
  // A reference is quotable on the phone; it shows only under its own consultation.
  if (r->consultation_id != id) return Error{ErrorCode::kNotFound, "reference", "no such response"};
  auto questions = questions_of(api, id);
  if (!questions) return questions.error();
  nlohmann::json answers = nlohmann::json::array();
  for (const auto& q : *questions) {
    const std::string qid = q.value("id", "");
    auto a = r->answers.find(qid);
    std::string text = a == r->answers.end() ? "" : answer_text(q, *a);
    answers.push_back({{"question", q.value("text", qid)}, {"answer", text}, {"answered", !text.empty()}});
  }
  nlohmann::json data = {{"id", id},
                         {"title", rec->document.value("title", id)},
                         {"reference", r->reference},
                         {"received", received_label(r->created_at)},
                         {"channel", channel_label(r->channel)},
                         {"language", r->language},
                         {"entered_by", entered_by_label(sc, *r)},
                         {"entered", sc.ctx.query.count("entered") > 0},
                         {"answers", answers}};
  StaffPage p;
  p.title = "Response " + r->reference;
  p.back = "/staff/consultations/" + id + "/responses";
  return render_staff_page(sc, "staff_response", data, p);
}

// ---- keying in a response ------------------------------------------------------------------------

// The entry form's field names: q<n> for question n, q<n>-<k> for its option k (a checkbox or a
// rank), so that no name repeats (the console refuses a form that repeats one).
std::string field_of(size_t question) { return "q" + std::to_string(question); }
std::string field_of(size_t question, size_t option) { return field_of(question) + "-" + std::to_string(option); }

std::vector<std::string> entry_options_of(const nlohmann::json& q) {
  std::vector<std::string> out;
  for (const auto& o : q.value("options", nlohmann::json::array())) {
    if (o.is_string()) out.push_back(o.get<std::string>());
  }
  return out;
}

struct EntryForm {
  std::string channel, language, submission;
  nlohmann::json answers = nlohmann::json::object();
  nlohmann::json errors = nlohmann::json::array();
  std::map<std::string, std::string> field_errors;  // field name -> message
};

void entry_error(EntryForm& f, const std::string& field, const std::string& message) {
  f.errors.push_back({{"href", "#" + field}, {"message", message}});
  f.field_errors[field] = message;
}

// The answers the form gives, each read as the residents' pages read theirs; what cannot be read
// is an error naming its question.
EntryForm read_entry_form(const pages::FormFields& form, const nlohmann::json& questions) {
  EntryForm f;
  f.channel = pages::form_value(form, "channel");
  f.language = pages::form_value(form, "language");
  f.submission = pages::form_value(form, "submission");
  bool known_channel = false;
  for (const auto& c : response_channels()) known_channel = known_channel || (f.channel == c.id && f.channel != "online");
  if (!known_channel) entry_error(f, "channel", "Choose how the response was given");
  if (!plausible_language_tag(f.language)) entry_error(f, "language", "Choose the language the response was given in");
  for (size_t i = 0; i < questions.size(); ++i) {
    const auto& q = questions[i];
    const std::string qid = q.value("id", ""), type = q.value("type", ""), name = field_of(i);
    const std::string label = q.value("text", qid);
    const std::string one = pages::form_value(form, name);
    const auto options = entry_options_of(q);
    if (type == "yes_no") {
      if (one == "yes" || one == "no") f.answers[qid] = one == "yes";
      else if (!one.empty()) entry_error(f, name, label + ": choose yes or no");
    } else if (type == "single_choice") {
      if (!one.empty()) f.answers[qid] = one;
    } else if (type == "scale") {
      if (one.empty()) continue;
      const bool digits = one.size() < 8 && std::all_of(one.begin() + (one[0] == '-' ? 1 : 0), one.end(),
                                                          [](unsigned char c) { return std::isdigit(c); }) &&
                          one != "-";
      if (digits) f.answers[qid] = std::stoll(one);
      else entry_error(f, name, label + ": choose a point on the scale");
    } else if (type == "multiple_choice") {
      nlohmann::json chosen = nlohmann::json::array();
      for (size_t k = 0; k < options.size(); ++k) {
        if (!pages::form_value(form, field_of(i, k)).empty()) chosen.push_back(options[k]);
      }
      if (!chosen.empty()) f.answers[qid] = chosen;
    } else if (type == "ranking") {
      std::vector<std::pair<int64_t, std::string>> ranked;
      std::set<int64_t> used;
      bool bad = false;
      for (size_t k = 0; k < options.size(); ++k) {
        const std::string v = pages::form_value(form, field_of(i, k));
        if (v.empty()) continue;
        int64_t rank = v.size() < 4 && std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })
                           ? std::stoll(v)
                           : 0;
        if (rank < 1 || rank > static_cast<int64_t>(options.size()) || !used.insert(rank).second) bad = true;
        ranked.emplace_back(rank, options[k]);
      }
      if (bad) {
        entry_error(f, field_of(i, 0), label + ": give each option a different rank");
        continue;
      }
      std::sort(ranked.begin(), ranked.end());
      nlohmann::json order = nlohmann::json::array();
      for (auto& [_, o] : ranked) order.push_back(o);
      if (!order.empty()) f.answers[qid] = order;
    } else if (one.find_first_not_of(" \t\r\n") != std::string::npos) {
      f.answers[qid] = one;
    }
  }
  return f;
}

// The entry form's template data, showing what `f` holds (empty on a new form).
nlohmann::json entry_data(const ConsultationRecord& rec, const nlohmann::json& questions, const EntryForm& f,
                          const ResponseTarget& target) {
  nlohmann::json channels = nlohmann::json::array();
  for (const auto& c : response_channels()) {
    if (std::string(c.id) == "online") continue;
    const bool offered = target.channels.empty() ||
                         std::find(target.channels.begin(), target.channels.end(), c.id) != target.channels.end();
    if (!offered) continue;
    channels.push_back({{"value", c.id}, {"label", c.label}, {"checked", f.channel == c.id},
                        {"input_id", channels.empty() ? std::string("channel") : "channel-" + std::string(c.id)}});
  }
  nlohmann::json languages = nlohmann::json::array();
  for (const auto& l : languages_of(rec.document)) {
    languages.push_back({{"value", l}, {"label", l}, {"selected", f.language == l || (f.language.empty() && l == "en-GB")}});
  }
  nlohmann::json qs = nlohmann::json::array();
  for (size_t i = 0; i < questions.size(); ++i) {
    const auto& q = questions[i];
    const std::string qid = q.value("id", ""), type = q.value("type", ""), name = field_of(i);
    const nlohmann::json given = f.answers.contains(qid) ? f.answers[qid] : nlohmann::json(nullptr);
    nlohmann::json choices = nlohmann::json::array();
    auto add = [&](const std::string& field, const std::string& value, const std::string& label, bool checked) {
      choices.push_back({{"name", field}, {"input_id", choices.empty() ? name : name + "-c" + std::to_string(choices.size())},
                         {"value", value}, {"label", label}, {"checked", checked}});
    };
    const auto options = entry_options_of(q);
    if (type == "yes_no") {
      add(name, "yes", "Yes", given == true);
      add(name, "no", "No", given == false);
    } else if (type == "scale") {
      for (int64_t v = q.value("min", int64_t{1}); v <= q.value("max", int64_t{5}); ++v) {
        add(name, std::to_string(v), std::to_string(v), given == v);
      }
    } else if (type == "single_choice") {
      for (const auto& o : options) add(name, o, o, given == o);
    } else if (type == "multiple_choice") {
      for (size_t k = 0; k < options.size(); ++k) {
        bool on = given.is_array() && std::find(given.begin(), given.end(), options[k]) != given.end();
        add(field_of(i, k), "yes", options[k], on);
        choices.back()["input_id"] = k == 0 ? name : field_of(i, k);
      }
    }
    nlohmann::json ranks = nlohmann::json::array();
    if (type == "ranking") {
      for (size_t k = 0; k < options.size(); ++k) {
        int64_t chosen = 0;
        if (given.is_array()) {
          auto it = std::find(given.begin(), given.end(), options[k]);
          if (it != given.end()) chosen = static_cast<int64_t>(it - given.begin()) + 1;
        }
        nlohmann::json values = nlohmann::json::array();
        values.push_back({{"value", ""}, {"label", "Not ranked"}, {"selected", chosen == 0}});
        for (size_t r = 1; r <= options.size(); ++r) {
          values.push_back({{"value", std::to_string(r)}, {"label", std::to_string(r)}, {"selected", chosen == static_cast<int64_t>(r)}});
        }
        ranks.push_back({{"name", field_of(i, k)}, {"input_id", field_of(i, k)}, {"option", options[k]}, {"values", values}});
      }
    }
    auto err = f.field_errors.find(type == "ranking" ? field_of(i, 0) : name);
    qs.push_back({{"name", name},
                  {"number", i + 1},
                  {"text", q.value("text", qid)},
                  {"hint", q.value("hint", "")},
                  {"is_radios", type == "yes_no" || type == "scale" || type == "single_choice"},
                  {"inline", type == "yes_no" || type == "scale"},
                  {"is_checkboxes", type == "multiple_choice"},
                  {"is_ranking", type == "ranking"},
                  {"is_text", type == "free_text"},
                  {"value", given.is_string() && type == "free_text" ? given.get<std::string>() : ""},
                  {"choices", choices},
                  {"ranks", ranks},
                  {"error", err == f.field_errors.end() ? nlohmann::json(false) : nlohmann::json(err->second)}});
  }
  auto err = [&](const char* field) {
    auto it = f.field_errors.find(field);
    return it == f.field_errors.end() ? nlohmann::json(false) : nlohmann::json(it->second);
  };
  return {{"id", rec.id},
          {"title", rec.document.value("title", rec.id)},
          {"submission", f.submission},
          {"channels", channels},
          {"channel_error", err("channel")},
          {"languages", languages},
          {"language_error", err("language")},
          {"questions", qs}};
}

HttpResponse not_open_page(const StaffContext& sc, const ConsultationRecord& rec) {
  StaffPage p;
  p.title = "Not open for responses";
  p.status = 409;
  p.back = "/staff/consultations/" + rec.id + "/responses";
  return render_staff_page(sc, "staff_message",
                           {{"heading", "This consultation is not open for responses"},
                            {"text", "Nothing was stored. \"" + rec.document.value("title", rec.id) + "\" is " +
                                         to_string(rec.status) + ": a response can be entered only while it is open."}},
                           p);
}

Result<HttpResponse> entry_page(Api::Impl& api, StaffContext& sc, const EntryForm& f, int status) {
  const std::string id = sc.ctx.params["id"];
  auto rec = consultation_of(api, id);
  if (!rec) return rec.error();
  auto target = load_response_target(api.store, id);
  if (!target) return target.error();
  if (rec->status != ConsultationStatus::kOpen) return not_open_page(sc, *rec);
  auto questions = questions_of(api, id);
  if (!questions) return questions.error();
  nlohmann::json data = entry_data(*rec, *questions, f, *target);
  StaffPage p;
  p.title = "Enter a response: " + rec->document.value("title", id);
  p.back = "/staff/consultations/" + id + "/responses";
  p.status = status;
  if (!f.errors.empty()) {
    p.has_error = true;
    data["errors"] = f.errors;
  }
  return render_staff_page(sc, "staff_response_new", data, p);
}

Result<HttpResponse> get_response_new(Api::Impl& api, StaffContext& sc) {
  EntryForm f;
  // Each form carries its own idempotency key: sending it twice (Back, then send again) stores
  // one response.
  f.submission = new_bearer_token();
  return entry_page(api, sc, f, 200);
}

Result<HttpResponse> post_response_new(Api::Impl& api, StaffContext& sc) {
  const std::string id = sc.ctx.params["id"];
  auto questions = questions_of(api, id);
  if (!questions) return questions.error();
  EntryForm f = read_entry_form(sc.form, *questions);
  if (f.submission.empty() || f.submission.size() > kIdempotencyKeyMaxLength) {
    StaffPage p;
    p.title = "The form could not be read";
    p.status = 400;
    return render_staff_page(sc, "staff_message",
                             {{"heading", p.title}, {"text", "Nothing was stored. Open the form again and enter the response."}}, p);
  }
  if (!f.errors.empty()) return entry_page(api, sc, f, 400);
  ResponseRequest request;
  request.channel = f.channel;
  request.language = f.language;
  request.answers = f.answers;
  request.idempotency_key = f.submission;
  // What the key covers: the same form sent again is the same response; changed, it is refused.
  const std::string covered = f.channel + "\n" + f.language + "\n" + f.answers.dump();
  request.idempotency_text = covered;
  auto stored = submit_response(api.store, api.store, api.store, id, Respondent{sc.staff->user, std::nullopt},
                                std::move(request), api.options.policy, api.today());
  if (!stored) {
    const SubmitError& e = stored.error();
    switch (e.refusal) {
      case SubmitRefusal::kNotFound: return Error{ErrorCode::kNotFound, "", e.message};
      case SubmitRefusal::kNotOpen: {
        auto rec = consultation_of(api, id);
        if (!rec) return rec.error();
        return not_open_page(sc, *rec);
      }
      case SubmitRefusal::kChannelNotOffered:
        entry_error(f, "channel", "This consultation does not offer the " + channel_label(f.channel) + " channel");
        return entry_page(api, sc, f, 422);
      case SubmitRefusal::kInvalidAnswer: {
        // "/answers/<question id>": name the question on the form.
        std::string field = "channel";
        std::string label = "An answer";
        for (size_t i = 0; i < questions->size(); ++i) {
          const std::string qid = (*questions)[i].value("id", "");
          if (e.field == "/answers/" + qid || e.field.rfind("/answers/" + qid + "/", 0) == 0) {
            field = (*questions)[i].value("type", "") == "ranking" ? field_of(i, 0) : field_of(i);
            label = (*questions)[i].value("text", qid);
          }
        }
        entry_error(f, field, label + ": " + e.message);
        return entry_page(api, sc, f, 422);
      }
      default: break;
    }
    if (e.code == ErrorCode::kConflict) {
      StaffPage p;
      p.title = "This form was sent already";
      p.status = 409;
      p.back = "/staff/consultations/" + id + "/responses";
      return render_staff_page(sc, "staff_message",
                               {{"heading", p.title},
                                {"text", "Its response is stored, with the answers first sent; nothing was changed. "
                                         "To enter another response, open a new form."}},
                               p);
    }
    return Error(e);
  }
  return pages::redirect("/staff/consultations/" + id + "/responses/" + stored->reference + "?entered=1");
}

}  // namespace

const std::vector<ChannelName>& response_channels() {
  static const std::vector<ChannelName> all = {
      {"online", "Online"}, {"paper", "Paper"}, {"phone", "Phone"}, {"face_to_face", "Face to face"}, {"event", "Event"}};
  return all;
}

std::string channel_label(const std::string& id) {
  for (const auto& c : response_channels()) {
    if (id == c.id) return c.label;
  }
  return id;
}

FilterForm read_filter_form(const std::map<std::string, std::string>& query) {
  FilterForm f;
  auto get = [&](const char* name) {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  };
  auto keep = [&](const char* name, const std::string& value) {
    f.values[name] = value;
    if (value.empty()) return;
    f.query += (f.query.empty() ? "" : "&") + std::string(name) + "=" + query_escape(value);
  };
  const std::string channel = get("channel"), language = get("language"), from = get("from"), to = get("to"),
                    text = get("q");
  keep("channel", channel);
  keep("language", language);
  keep("from", from);
  keep("to", to);
  keep("q", text);
  if (!channel.empty()) {
    bool known = false;
    for (const auto& c : response_channels()) known = known || channel == c.id;
    if (known) f.filter.channel = channel;
    else f.errors.push_back({{"href", "#channel"}, {"message", "Choose a channel from the list"}});
  }
  if (!language.empty()) {
    if (plausible_language_tag(language)) f.filter.language = language;
    else f.errors.push_back({{"href", "#language"}, {"message", "Choose a language from the list"}});
  }
  for (auto [name, value, label] : {std::tuple{"from", from, "Received from"}, std::tuple{"to", to, "Received to"}}) {
    if (value.empty()) continue;
    auto d = Date::parse(value, name);
    if (!d) {
      f.errors.push_back({{"href", std::string("#") + name},
                          {"message", std::string(label) + " must be a real date, like 2026-03-04"}});
    } else if (std::string(name) == "from") {
      f.filter.received_from = *d;
    } else {
      f.filter.received_to = *d;
    }
  }
  if (text.size() > kSearchMaxLength) {
    f.errors.push_back({{"href", "#q"}, {"message", "Search for at most " + std::to_string(kSearchMaxLength) + " characters"}});
  } else {
    f.filter.text = text;
  }
  return f;
}

Result<nlohmann::json> questions_of(Api::Impl& api, const std::string& consultation_id) {
  auto qs = api.store.questions(consultation_id);
  if (!qs) return qs.error();
  nlohmann::json out = nlohmann::json::array();
  for (auto& q : *qs) out.push_back(std::move(q));
  return out;
}

std::vector<StaffRoute> responses_routes(const std::set<Role>& readers, const std::set<Role>& writers) {
  // Literal paths before {reference}, which would match them too.
  return {
      {"GET", "/staff/consultations/{id}/responses", readers, get_responses},
      {"GET", "/staff/consultations/{id}/responses/new", writers, get_response_new},
      {"POST", "/staff/consultations/{id}/responses/new", writers, post_response_new},
      {"GET", "/staff/consultations/{id}/responses/{reference}", readers, get_response},
      {"GET", "/staff/consultations/{id}/export.csv", readers, get_responses_csv},
      {"GET", "/staff/consultations/{id}/export.xlsx", readers, get_responses_xlsx},
      {"GET", "/staff/consultations/{id}/charts", readers, get_response_charts},
  };
}

}  // namespace townhall::server::staff
