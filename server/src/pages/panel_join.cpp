// Join the Citizens' Panel: the residents' form (contact details, the consent to keep answers,
// equality monitoring apart and optional), sent through the same join as the API route, then
// "check your email" until the emailed link proves the address.
#include <optional>
#include <string>
#include <vector>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "pages/handlers.h"
#include "townhall/panel/member_import.h"
#include "townhall/util/json_schema.h"

namespace townhall::server {

namespace {

// A question of the equality monitoring fieldset: the fact it fills, its legend and its answers
// (stored values, the council's census words, with their catalog labels). Every question also
// offers "Prefer not to say", its own category in the representativeness report.
struct JoinChoice {
  const char* value;
  const char* label_key;  // nullptr: the value itself is the label (age bands)
};
struct JoinQuestion {
  const char* fact;
  const char* legend_key;
  std::vector<JoinChoice> choices;
};

constexpr const char* kPreferNotToSay = "Prefer not to say";

const std::vector<JoinQuestion>& join_equality_questions() {
  static const std::vector<JoinQuestion> q = {
      {"age_band",
       "panel.fact_age_band",
       {{"16-24", nullptr}, {"25-34", nullptr}, {"35-44", nullptr}, {"45-54", nullptr}, {"55-64", nullptr},
        {"65-74", nullptr}, {"75+", nullptr}}},
      {"sex", "panel.fact_sex", {{"Female", "panel.sex_female"}, {"Male", "panel.sex_male"}}},
      // Census 2021 TS021's high-level groups, so answers match the borough's targets.
      {"ethnicity",
       "panel.fact_ethnicity",
       {{"Asian, Asian British or Asian Welsh", "panel.ethnicity_asian"},
        {"Black, Black British, Black Welsh, Caribbean or African", "panel.ethnicity_black"},
        {"Mixed or Multiple ethnic groups", "panel.ethnicity_mixed"},
        {"White", "panel.ethnicity_white"},
        {"Other ethnic group", "panel.ethnicity_other"}}},
      {"disability", "panel.join_disability", {{"Yes", "common.yes"}, {"No", "common.no"}}},
  };
  return q;
}

// The form's text boxes: the join body's key, and whether it is a fact (kept only with consent).
struct JoinField {
  const char* name;
  bool fact;
};
const std::vector<JoinField>& join_text_fields() {
  static const std::vector<JoinField> f = {{"name", false}, {"email", false}, {"phone", false}, {"postcode", true}};
  return f;
}

struct JoinErrors {
  nlohmann::json list = nlohmann::json::array();
  nlohmann::json by_field = nlohmann::json::object();
  void add(const std::string& field, const std::string& html) {
    if (by_field.contains(field)) return;
    by_field[field] = html;
    list.push_back({{"href", "#" + field}, {"message", html}});
  }
  bool empty() const { return list.empty(); }
};

std::string join_trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

HttpResponse join_form_page(const Localiser& loc, const pages::Session& session, const pages::FormFields& form,
                            const JoinErrors& errors) {
  nlohmann::json d = {{"csrf", pages::csrf_token(session)}};
  for (const auto& f : join_text_fields()) {
    d[f.name] = pages::form_value(form, f.name);
    if (errors.by_field.contains(f.name)) d[std::string(f.name) + "_error"] = errors.by_field[f.name];
  }
  const std::string consent = pages::form_value(form, "consent");
  d["consent_yes"] = consent == "yes";
  d["consent_no"] = consent == "no";
  if (errors.by_field.contains("consent")) d["consent_error"] = errors.by_field["consent"];
  nlohmann::json questions = nlohmann::json::array();
  for (const auto& q : join_equality_questions()) {
    const std::string chosen = pages::form_value(form, q.fact);
    nlohmann::json choices = nlohmann::json::array();
    int i = 0;
    auto add = [&](const std::string& value, const std::string& label_html) {
      // The first input carries the fact's own id, so the error summary's link lands on it.
      choices.push_back({{"id", i == 0 ? std::string(q.fact) : std::string(q.fact) + "-" + std::to_string(i)},
                         {"value", value},
                         {"label", label_html},
                         {"checked", chosen == value}});
      ++i;
    };
    for (const auto& c : q.choices) add(c.value, c.label_key ? loc.html(c.label_key) : pages::escape_html(c.value));
    add(kPreferNotToSay, loc.html("panel.join_prefer_not"));
    nlohmann::json item = {{"name", q.fact}, {"legend", loc.html(q.legend_key)}, {"choices", choices}};
    if (errors.by_field.contains(q.fact)) item["error"] = errors.by_field[q.fact];
    questions.push_back(std::move(item));
  }
  d["equality"] = std::move(questions);
  d["errors"] = errors.list;
  PageOptions o;
  o.title = loc.text("panel.join_title");
  o.rest_path = "/panel/join";
  if (!errors.empty()) {
    o.has_error = true;
    o.status = 422;
  }
  return pages::with_session(pages::render_page(loc, "panel_join", d, o), session);
}

// The longest text the join's schema allows in `field` (a personal detail, or a fact's text).
std::optional<int64_t> join_max_length(const std::string& field) {
  static const nlohmann::json schema = nlohmann::json::parse(embedded_schema("panel-join.schema.json"));
  const auto& props = schema["properties"];
  const nlohmann::json* p = props.contains(field) ? &props[field] : &props["facts"]["additionalProperties"];
  if (p->contains("maxLength")) return (*p)["maxLength"].get<int64_t>();
  return std::nullopt;
}

// The catalog message for a schema or core error at `pointer` ("/name", "/facts/postcode").
std::pair<std::string, std::string> join_error_of(const Localiser& loc, const Error& e) {
  std::string field = e.field;
  if (field.rfind("/facts/", 0) == 0) field = field.substr(7);
  else if (!field.empty() && field[0] == '/') field = field.substr(1);
  field = field.substr(0, field.find('/'));
  if (field == "email") return {field, loc.html("error.email_invalid")};
  if (field == "postcode") return {field, loc.html("error.postcode_invalid")};
  if (e.code == ErrorCode::kSchemaViolation) {
    if (auto max = join_max_length(field)) return {field, loc.html("error.too_long", {{"max", *max}})};
  }
  if (field == "name" || field == "phone") return {field, loc.html("error.enter_answer")};
  for (const auto& q : join_equality_questions()) {
    if (field == q.fact) return {field, loc.html("error.select_answer")};
  }
  return {"name", loc.html("error.enter_answer")};
}

}  // namespace

// GET /{lang}/panel/join
Result<HttpResponse> get_panel_join_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  return join_form_page(loc, pages::session_of(api, ctx.request), {}, {});
}

// POST /{lang}/panel/join
Result<HttpResponse> post_panel_join_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto session = pages::session_of(api, ctx.request);
  auto form = pages::parse_form(ctx.request.content_type, ctx.request.body);
  if (!form || !pages::csrf_valid(session, pages::form_value(*form, "csrf"))) {
    return pages::with_session(
        pages::text_page(loc, form ? 403 : 400, "error.form_expired_title", {"error.form_expired"}, ""), session);
  }
  // What only the page asks for: the form's answers present and among those it offered. The
  // rules for what is kept are the join's own (member_from_join, behind the schema).
  JoinErrors errors;
  nlohmann::json body = {{"facts", nlohmann::json::object()}};
  for (const auto& f : join_text_fields()) {
    const std::string v = join_trimmed(pages::form_value(*form, f.name));
    if (v.empty()) {
      if (std::string(f.name) == "name") errors.add("name", loc.html("panel.join_error_name"));
      if (std::string(f.name) == "email") errors.add("email", loc.html("panel.join_error_email"));
      continue;
    }
    if (f.fact) body["facts"][f.name] = v;
    else body[f.name] = v;
  }
  const std::string consent = pages::form_value(*form, "consent");
  if (consent != "yes" && consent != "no") errors.add("consent", loc.html("panel.join_error_consent"));
  body["consent"] = consent == "yes";
  for (const auto& q : join_equality_questions()) {
    const std::string v = pages::form_value(*form, q.fact);
    if (v.empty()) continue;  // optional: not answered is not kept
    bool offered = v == kPreferNotToSay;
    for (const auto& c : q.choices) offered = offered || v == c.value;
    if (!offered) {
      errors.add(q.fact, loc.html("error.select_answer"));
      continue;
    }
    body["facts"][q.fact] = v;
  }
  if (body["facts"].empty()) body.erase("facts");
  // The schema and the join name one field at a time; each is checked on its own so that the
  // summary lists every field that needs changing, not only the first.
  auto check_one = [&](const nlohmann::json& part) {
    if (auto st = validate_against_schema(part, "panel-join.schema.json"); !st) {
      auto [field, html] = join_error_of(loc, st.error());
      errors.add(field, html);
    }
  };
  for (const auto& f : join_text_fields()) {
    nlohmann::json part = {{"name", "-"}, {"consent", true}};
    if (f.fact && body.contains("facts") && body["facts"].contains(f.name)) part["facts"] = {{f.name, body["facts"][f.name]}};
    else if (!f.fact && body.contains(f.name)) part[f.name] = body[f.name];
    else continue;
    check_one(part);
  }
  if (!errors.by_field.contains("email") && body.contains("email") && !email_address(body["email"].get<std::string>())) {
    errors.add("email", loc.html("error.email_invalid"));
  }
  if (!errors.by_field.contains("postcode") && body.contains("facts") && body["facts"].contains("postcode") &&
      !panel::normalise_postcode(body["facts"]["postcode"].get<std::string>(), "/facts/postcode")) {
    errors.add("postcode", loc.html("error.postcode_invalid"));
  }
  if (!errors.empty()) return join_form_page(loc, session, *form, errors);

  auto joined = join_panel(api, body, ctx.request, User{}, loc.lang());
  if (!joined) {
    if (joined.error().code != ErrorCode::kInvalidArgument && joined.error().code != ErrorCode::kSchemaViolation) {
      return pages::error_page(loc, joined.error());
    }
    auto [field, html] = join_error_of(loc, joined.error());
    errors.add(field, html);
    return join_form_page(loc, session, *form, errors);
  }
  if (joined->refused) return pages::too_many_requests_page(loc, *joined->refused, session);
  return pages::with_session(pages::redirect("/" + loc.lang() + "/panel/joined"), session);
}

// GET /{lang}/panel/joined
Result<HttpResponse> get_panel_joined_page(RequestContext&, const Localiser& loc) {
  return pages::text_page(loc, 200, "panel.check_email_title", {"panel.joined_check_email"}, "/panel/joined", false);
}

}  // namespace townhall::server
