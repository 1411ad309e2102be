// Routes for a consultation's translations and meetings, residents' personal data, and the
// language-aware view of one consultation (GET /api/v1/consultations/{id}?lang=…).
#include <algorithm>
#include <cstdio>

#include "api_impl.h"
#include "townhall/consultations/editing.h"
#include "townhall/consultations/language_rules.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/locale.h"

namespace townhall::server {
namespace {

HttpResponse no_content() {
  HttpResponse r;
  r.status = 204;
  return r;
}

// The language tags the API takes, as the OpenAPI document states them: a language of 2 or 3
// letters, then optionally a script (4 letters) and a region (2 letters or 3 digits), joined by
// hyphens. ICU would take more (variants, extensions, private use, 4- to 8-letter languages), which
// no translation or negotiation here needs.
bool simple_language_tag(std::string_view tag) {
  auto letters = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
  };
  auto digits = [](std::string_view s) { return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }); };
  std::vector<std::string_view> parts;
  for (size_t i = 0; i <= tag.size();) {
    size_t dash = std::min(tag.find('-', i), tag.size());
    parts.push_back(tag.substr(i, dash - i));
    i = dash + 1;
  }
  size_t i = 0;
  if (parts[i].size() < 2 || parts[i].size() > 3 || !letters(parts[i])) return false;
  ++i;
  if (i < parts.size() && parts[i].size() == 4 && letters(parts[i])) ++i;
  if (i < parts.size() && ((parts[i].size() == 2 && letters(parts[i])) || (parts[i].size() == 3 && digits(parts[i])))) ++i;
  return i == parts.size();
}

// The canonical form of a tag of that shape (kInvalidArgument naming `field` otherwise).
Result<std::string> api_language_tag(std::string_view text, std::string_view field) {
  if (!simple_language_tag(text)) {
    return invalid_argument(std::string(field), "not a language tag: use a language, optionally with a script and a "
                                                "region (cy, pa-Guru, pt-BR)");
  }
  return i18n::canonical_tag(text, field);
}

// The canonical tag of the {lang} path parameter; English is the source and has no translation.
Result<std::string> lang_param(const RequestContext& ctx) {
  auto tag = api_language_tag(ctx.params.at("lang"), "lang");
  if (!tag) return Error{ErrorCode::kInvalidArgument, "", tag.error().message};
  if (is_english_tag(*tag)) {
    return Error{ErrorCode::kInvalidArgument, "",
                 "English is the consultation's own content; edit the consultation to change it"};
  }
  return tag;
}

HttpResponse lang_problem(const Error& e) {
  return problem(400, "invalid-language-tag", "Invalid language tag", e.message);
}

std::map<std::string, nlohmann::json> translations_map(const std::vector<TranslationRecord>& records) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& t : records) out[t.lang] = t.document;
  return out;
}

nlohmann::json translation_json(const TranslationRecord& t, const nlohmann::json& source) {
  nlohmann::json j = t.to_json();
  auto missing = missing_translation_fields(source, t.document);
  j["dir"] = i18n::html_dir(t.lang);
  j["complete"] = missing.empty();
  j["missing"] = missing;
  return j;
}

// The UK offset on `date` at local time `hhmm`: BST (+01:00) from 01:00 GMT on the last Sunday in
// March until 01:00 GMT (02:00 BST) on the last Sunday in October, GMT otherwise.
std::string london_offset(Date date, const std::string& hhmm) {
  auto last_sunday = [](int year, unsigned month) {
    Date d = Date::from_ymd(year, month, 31);
    while (d.weekday() != Weekday::kSunday) d = d.minus_days(1);
    return d;
  };
  Date start = last_sunday(date.year(), 3), end = last_sunday(date.year(), 10);
  bool summer = (date > start && date < end) || (date == start && hhmm >= "01:00") || (date == end && hhmm < "02:00");
  return summer ? "+01:00" : "+00:00";
}

nlohmann::json meeting_json(const MeetingRecord& m) {
  nlohmann::json j = m.to_json();
  auto date = Date::parse(m.document.value("date", ""));
  if (date) {
    for (const char* key : {"starts_at", "ends_at"}) {
      if (!m.document.contains(key)) continue;
      std::string t = m.document[key];
      j[std::string(key) == "starts_at" ? "starts" : "ends"] = date->iso() + "T" + t + ":00" + london_offset(*date, t);
    }
  }
  j["time_zone"] = "Europe/London";
  return j;
}

Status check_meeting(const nlohmann::json& doc) {
  if (auto d = Date::parse(doc["date"].get<std::string>(), "/date"); !d) return d.error();
  if (doc.contains("ends_at") && doc["ends_at"].get<std::string>() <= doc["starts_at"].get<std::string>()) {
    return invalid_argument("/ends_at", "the meeting ends before it starts");
  }
  if (!doc.contains("place") && !doc.contains("online_url")) {
    return invalid_argument("/place", "say where the meeting is: a place, an online link, or both");
  }
  return Status::Ok();
}

}  // namespace

// A path parameter that must be a positive whole number; anything else is an unknown resource.
Result<int64_t> id_param(const RequestContext& ctx, const std::string& name, const std::string& kind) {
  const std::string& text = ctx.params.at(name);
  int64_t v = 0;
  bool ok = !text.empty() && text.size() <= 18;
  for (char c : text) {
    if (c < '0' || c > '9') ok = false;
    if (ok) v = v * 10 + (c - '0');
  }
  if (!ok || v <= 0) return Error{ErrorCode::kNotFound, "", "no " + kind + " \"" + text + "\""};
  return v;
}

Result<std::optional<LanguageChoice>> choose_language(Api::Impl& api, RequestContext& ctx, const std::string& id) {
  std::string wanted;
  if (auto it = ctx.query.find("lang"); it != ctx.query.end()) {
    auto tag = api_language_tag(it->second, "lang");
    if (!tag) return tag.error();
    wanted = *tag;
  } else {
    wanted = ctx.request.accept_language;
  }
  if (wanted.empty()) return std::optional<LanguageChoice>();
  auto list = api.store.list_translations(id);
  if (!list) return list.error();
  LanguageChoice c;
  c.available = {std::string(i18n::kDefaultLocale)};
  for (const auto& t : *list) c.available.push_back(t.lang);
  c.lang = i18n::negotiate_language(wanted, c.available);
  for (auto& t : *list) {
    if (t.lang == c.lang) c.translation = std::move(t.document);
  }
  return std::optional<LanguageChoice>(std::move(c));
}

HttpResponse language_query_problem(const Error& e) {
  if (e.code != ErrorCode::kInvalidArgument) return error_response(e);
  return problem(400, "invalid-query", "Invalid query parameter", e.message, "?lang");
}

void mark_language(nlohmann::json& body, HttpResponse& res, const LanguageChoice& c,
                   const std::map<std::string, std::string>& fallbacks) {
  nlohmann::json field_lang = nlohmann::json::object();
  for (const auto& [pointer, lang] : fallbacks) field_lang[pointer] = lang;
  body["lang"] = c.lang;
  body["dir"] = i18n::html_dir(c.lang);
  body["field_lang"] = field_lang;
  body["languages_available"] = c.available;
  res.headers.emplace_back("Content-Language", c.lang);
}

HttpResponse consultation_response(Api::Impl& api, RequestContext& ctx, const ConsultationRecord& rec) {
  nlohmann::json body = rec.to_json();
  auto meetings = api.store.list_meetings(rec.id);
  if (!meetings) return error_response(meetings.error());
  body["meetings"] = nlohmann::json::array();
  for (const auto& m : *meetings) body["meetings"].push_back(meeting_json(m));

  auto choice = choose_language(api, ctx, rec.id);
  if (!choice) return language_query_problem(choice.error());
  HttpResponse res;
  if (*choice) {
    std::map<std::string, std::string> fallbacks;
    if ((*choice)->translation) {
      auto local = localise(body, *(*choice)->translation, i18n::kDefaultLocale);
      body = std::move(local.document);
      fallbacks = std::move(local.fallbacks);
    }
    mark_language(body, res, **choice, fallbacks);
  }
  res.headers.emplace_back("Vary", "Accept-Language");
  res.headers.emplace_back("ETag", "\"" + std::to_string(rec.version) + "\"");
  res.body = body.dump();
  return res;
}

void add_rest_routes(Api::Impl& api) {
  const std::set<Role> officers = {Role::kOfficer, Role::kAdmin};

  // ---- translations ----------------------------------------------------------------------------
  api.add("GET", "/api/v1/consultations/{id}/translations", everyone(), "",
          [&api](RequestContext& ctx, Respond& respond) {
            auto rec = load_visible_consultation(api, ctx);
            if (!rec) return respond(error_response(rec.error()));
            auto list = api.store.list_translations(rec->id);
            if (!list) return respond(error_response(list.error()));
            nlohmann::json items = nlohmann::json::array();
            for (const auto& t : *list) {
              auto j = translation_json(t, rec->document);
              items.push_back({{"lang", t.lang}, {"name", i18n::endonym(t.lang)}, {"dir", j["dir"]},
                               {"complete", j["complete"]}, {"missing", j["missing"]}, {"updated_at", t.updated_at}});
            }
            auto findings = check_languages(rec->id, rec->document, translations_map(*list), api.options.policy);
            respond(json_response(200, {{"items", items}, {"findings", findings_to_json(findings)["findings"]}}));
          });

  api.add("GET", "/api/v1/consultations/{id}/translations/{lang}", everyone(), "",
          [&api](RequestContext& ctx, Respond& respond) {
            auto lang = lang_param(ctx);
            if (!lang) return respond(lang_problem(lang.error()));
            auto rec = load_visible_consultation(api, ctx);
            if (!rec) return respond(error_response(rec.error()));
            auto t = api.store.get_translation(rec->id, *lang);
            if (!t) return respond(error_response(t.error()));
            respond(json_response(200, translation_json(*t, rec->document)));
          });

  api.add("PUT", "/api/v1/consultations/{id}/translations/{lang}", officers, "consultation-translation.schema.json",
          [&api](RequestContext& ctx, Respond& respond) {
            auto lang = lang_param(ctx);
            if (!lang) return respond(lang_problem(lang.error()));
            auto rec = api.store.get_consultation(ctx.params["id"]);
            if (!rec) return respond(error_response(rec.error()));
            auto doc = prepare_translation(ctx.body, rec->document);
            if (!doc) return respond(error_response(doc.error()));
            bool existed = api.store.get_translation(rec->id, *lang).ok();
            auto t = put_translation(
                api.store, rec->id, *lang, *doc,
                AuditEvent{actor_of(ctx.user), "consultation.translation.put", "consultation", "", {{"lang", *lang}}});
            if (!t) return respond(error_response(t.error()));
            auto res = json_response(existed ? 200 : 201, translation_json(*t, rec->document));
            res.headers.emplace_back("Content-Language", *lang);
            if (!existed) res.headers.emplace_back("Location", "/api/v1/consultations/" + rec->id + "/translations/" + *lang);
            respond(std::move(res));
          });

  api.add("DELETE", "/api/v1/consultations/{id}/translations/{lang}", officers, "",
          [&api](RequestContext& ctx, Respond& respond) {
            auto lang = lang_param(ctx);
            if (!lang) return respond(lang_problem(lang.error()));
            auto st = delete_translation(
                api.store, ctx.params["id"], *lang,
                AuditEvent{actor_of(ctx.user), "consultation.translation.delete", "consultation", "", {{"lang", *lang}}});
            if (!st) return respond(error_response(st.error()));
            respond(no_content());
          });

  // ---- events and public meetings ----------------------------------------------------------------
  api.add("GET", "/api/v1/consultations/{id}/meetings", everyone(), "", [&api](RequestContext& ctx, Respond& respond) {
    auto rec = load_visible_consultation(api, ctx);
    if (!rec) return respond(error_response(rec.error()));
    auto list = api.store.list_meetings(rec->id);
    if (!list) return respond(error_response(list.error()));
    nlohmann::json items = nlohmann::json::array();
    for (const auto& m : *list) items.push_back(meeting_json(m));
    respond(json_response(200, {{"items", items}}));
  });

  api.add("POST", "/api/v1/consultations/{id}/meetings", officers, "meeting.schema.json",
          [&api](RequestContext& ctx, Respond& respond) {
            if (auto st = check_meeting(ctx.body); !st) return respond(error_response(st.error()));
            auto m = api.store.add_meeting(ctx.params["id"], ctx.body,
                                           AuditEvent{actor_of(ctx.user), "consultation.meeting.add", "consultation", "", {}});
            if (!m) return respond(error_response(m.error()));
            auto res = json_response(201, meeting_json(*m));
            res.headers.emplace_back("Location",
                                     "/api/v1/consultations/" + m->consultation_id + "/meetings/" + std::to_string(m->id));
            respond(std::move(res));
          });

  api.add("GET", "/api/v1/consultations/{id}/meetings/{meeting_id}", everyone(), "",
          [&api](RequestContext& ctx, Respond& respond) {
            auto rec = load_visible_consultation(api, ctx);
            if (!rec) return respond(error_response(rec.error()));
            auto mid = id_param(ctx, "meeting_id", "meeting");
            if (!mid) return respond(error_response(mid.error()));
            auto m = api.store.get_meeting(rec->id, *mid);
            if (!m) return respond(error_response(m.error()));
            respond(json_response(200, meeting_json(*m)));
          });

  api.add("PUT", "/api/v1/consultations/{id}/meetings/{meeting_id}", officers, "meeting.schema.json",
          [&api](RequestContext& ctx, Respond& respond) {
            auto mid = id_param(ctx, "meeting_id", "meeting");
            if (!mid) return respond(error_response(mid.error()));
            if (auto st = check_meeting(ctx.body); !st) return respond(error_response(st.error()));
            auto m = api.store.update_meeting(
                ctx.params["id"], *mid, ctx.body,
                AuditEvent{actor_of(ctx.user), "consultation.meeting.update", "consultation", "", {}});
            if (!m) return respond(error_response(m.error()));
            respond(json_response(200, meeting_json(*m)));
          });

  api.add("DELETE", "/api/v1/consultations/{id}/meetings/{meeting_id}", officers, "",
          [&api](RequestContext& ctx, Respond& respond) {
            auto mid = id_param(ctx, "meeting_id", "meeting");
            if (!mid) return respond(error_response(mid.error()));
            auto st = api.store.delete_meeting(
                ctx.params["id"], *mid,
                AuditEvent{actor_of(ctx.user), "consultation.meeting.delete", "consultation", "", {}});
            if (!st) return respond(error_response(st.error()));
            respond(no_content());
          });

  // ---- residents' personal data --------------------------------------------------------------
  api.add("GET", "/api/v1/people/{person_id}", officers, "", [&api](RequestContext& ctx, Respond& respond) {
    auto pid = id_param(ctx, "person_id", "person");
    if (!pid) return respond(error_response(pid.error()));
    auto p = api.store.get_person(*pid);
    if (!p) return respond(error_response(p.error()));
    respond(json_response(200, p->to_json()));
  });

  api.add("DELETE", "/api/v1/people/{person_id}", officers, "", [&api](RequestContext& ctx, Respond& respond) {
    auto pid = id_param(ctx, "person_id", "person");
    if (!pid) return respond(error_response(pid.error()));
    // The audit entry records that an erasure happened and who did it — never what was erased.
    auto st = api.store.erase_person(*pid, AuditEvent{actor_of(ctx.user), "person.erase", "person", "", {}});
    if (!st) return respond(error_response(st.error()));
    respond(no_content());
  });
}

}  // namespace townhall::server
