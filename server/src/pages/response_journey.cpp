// The response journey: one question per page, check your answers, sending (check_response in
// the core, then the group commit), the confirmation, and save and come back later by an emailed
// link. Forms work without JavaScript (POST-redirect-GET) and carry a CSRF token.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "http/api_impl.h"
#include "pages/kept_pages.h"
#include "pages/page_kit.h"
#include "pages/handlers.h"
#include "pages/consultation_content.h"
#include "pages/journey_sent.h"
#include "pages/question_view.h"
#include "townhall/consultations/status.h"
#include "townhall/consultations/translation.h"
#include "townhall/i18n/catalog.h"
#include "townhall/i18n/locale.h"
#include "townhall/panel/ask_once.h"
#include "townhall/responses/answers.h"
#include "townhall/submissions/submit.h"
#include "townhall/access/token.h"
#include "townhall/util/json_schema.h"
#include "townhall/util/sha256.h"

namespace townhall::server {

namespace {

constexpr int kResumeDays = 28;

std::string draft_key(const pages::Session& s, const std::string& consultation_id) {
  return sha256_hex("session\n" + s.secret + "\n" + consultation_id);
}

std::string resume_key(const std::string& secret, const std::string& consultation_id) {
  return sha256_hex("resume\n" + secret + "\n" + consultation_id);
}

// ---- the response journey ---------------------------------------------------------------------
struct JourneyError {
  std::string key;  // message key ("" = none)
  i18n::MessageArgs args;
};

// The answer a question page's form gives (null = not answered), or why it cannot be read.
nlohmann::json answer_from_form(const nlohmann::json& q, const pages::FormFields& form, JourneyError& error) {
  const std::string type = q["type"];
  std::string one = pages::form_value(form, "answer");
  if (type == "yes_no") {
    if (one.empty()) return nullptr;
    if (one == "yes" || one == "no") return one == "yes";
    error.key = "error.select_answer";
    return nullptr;
  }
  if (type == "single_choice") return one.empty() ? nlohmann::json(nullptr) : nlohmann::json(one);
  if (type == "multiple_choice") {
    auto all = pages::form_values(form, "answer");
    return all.empty() ? nlohmann::json(nullptr) : nlohmann::json(all);
  }
  if (type == "scale") {
    if (one.empty()) return nullptr;
    try {
      size_t used = 0;
      long long v = std::stoll(one, &used);
      if (used == one.size()) return static_cast<int64_t>(v);
    } catch (const std::exception&) {
    }
    error.key = "error.select_answer";
    return nullptr;
  }
  if (type == "ranking") {
    const auto& options = q["options"];
    std::vector<std::pair<int64_t, std::string>> ranked;
    std::set<int64_t> used;
    for (size_t i = 0; i < options.size(); ++i) {
      std::string v = pages::form_value(form, "rank-" + std::to_string(i + 1));
      if (v.empty()) continue;
      int64_t rank = 0;
      try {
        rank = std::stoll(v);
      } catch (const std::exception&) {
        rank = 0;
      }
      if (rank < 1 || rank > static_cast<int64_t>(options.size()) || !used.insert(rank).second) {
        error.key = "error.rank_twice";
        return nullptr;
      }
      ranked.emplace_back(rank, options[i].get<std::string>());
    }
    if (ranked.empty()) return nullptr;
    std::sort(ranked.begin(), ranked.end());
    nlohmann::json out = nlohmann::json::array();
    for (auto& [rank, option] : ranked) out.push_back(option);
    return out;
  }
  // free_text: blank is no answer.
  if (one.find_first_not_of(" \t\r\n") == std::string::npos) return nullptr;
  return one;
}

// Checks one answer against its question with the same rules as the API; the message key for a
// resident when it fails.
JourneyError check_answer(const nlohmann::json& q, const nlohmann::json& value) {
  nlohmann::json answers = nlohmann::json::object();
  if (!value.is_null()) answers[q["id"].get<std::string>()] = value;
  auto st = validate_answers(std::vector<nlohmann::json>{q}, answers);
  if (st) return {};
  const std::string type = q["type"];
  if (value.is_null()) return {type == "free_text" ? "error.enter_answer" : "error.select_answer", {}};
  if (type == "free_text") return {"error.too_long", {{"max", q.value("max_length", int64_t{10000})}}};
  return {"error.select_answer", {}};
}

// An answer as the check-your-answers page shows it (escaped HTML).
std::string answer_html(const Localiser& loc, const nlohmann::json& value) {
  if (value.is_null()) return loc.html("journey.not_answered");
  if (value.is_boolean()) return loc.html(value.get<bool>() ? "common.yes" : "common.no");
  if (value.is_number()) return pages::escape_html(i18n::format_number(loc.lang(), value.get<double>(), 0));
  if (value.is_array()) {
    std::vector<std::string> parts;
    for (const auto& v : value) parts.push_back(pages::escape_html(v.get<std::string>()));
    return join_html(parts, ", ");
  }
  return pages::escape_html(value.get<std::string>());
}

bool is_content_answer(const nlohmann::json& q) {
  const std::string type = q["type"];
  return type == "single_choice" || type == "multiple_choice" || type == "ranking";
}

// One browser session's way through one open consultation: its questions one per page, check your
// answers, sending, and save and come back later. It holds what every page of the journey needs:
// the consultation and its questions, the browser session and the draft of this session's answers;
// for a panel member signed in on the pages, their facts and the questions those facts already
// answer (ask once: these are skipped, and shown on check your answers as known, with a change
// link). A journey lives for one request.
class ResponseJourney {
 public:
  // The journey of the request's browser session through consultation {id}, or the page to answer
  // instead: 404 for an unknown or draft consultation, 410 once it has closed, the error page when
  // the store fails.
  static Result<ResponseJourney, HttpResponse> start(Api::Impl& api, RequestContext& ctx, const Localiser& loc);

  Result<HttpResponse> show_question();    // GET questions/{n}
  Result<HttpResponse> answer_question();  // POST questions/{n}
  HttpResponse check_answers() const {
    if (auto sent = sent_reference(draft)) return already_responded_page(loc, rec.id, *sent, 200);
    return check_page("", 0);
  }
  // POST check: sends the answers; `respond` is called once they are stored (or refused).
  void send(const Respond& respond);
  HttpResponse show_save() const { return save_page(draft.email, false); }
  Result<HttpResponse> save();  // POST save: emails a link to come back
  HttpResponse saved() const;
  HttpResponse show_resume();   // GET resume/{token}: a button, so link previews do not use the link
  Result<HttpResponse> resume();

 private:
  ResponseJourney(Api::Impl& a, RequestContext& c, const Localiser& l) : api(a), ctx(c), loc(l) {}

  const std::string& qid(size_t i) const { return cached->questions[i]["id"].get_ref<const std::string&>(); }
  // A known question the member has not answered themselves on this journey is not asked.
  bool skipped(size_t i) const { return known.count(qid(i)) && !draft.answers.contains(qid(i)); }
  // The answer so far: the member's own, else the known fact, else null.
  nlohmann::json answer(size_t i) const {
    if (draft.answers.contains(qid(i))) return draft.answers[qid(i)];
    if (auto k = known.find(qid(i)); k != known.end()) return k->second;
    return nullptr;
  }
  // "Question n of N" counts only the questions this person is asked (plus `index` itself when
  // a known one is opened to change it): the known ones are not questions to them.
  std::pair<int64_t, int64_t> position(size_t index) const {
    int64_t n = 0, total = 0;
    for (size_t i = 0; i < cached->questions.size(); ++i)
      if (!skipped(i) || i == index) {
        ++total;
        if (i <= index) ++n;
      }
    return {n, total};
  }
  // The first question at or after `from` (0-based) to ask, or the number of questions if none.
  size_t next_asked(size_t from) const {
    while (from < cached->questions.size() && skipped(from)) ++from;
    return from;
  }
  // Path of the page before question `index` (the previous question asked, or the consultation).
  std::string before(size_t index) const {
    std::string base = "/" + loc.lang() + "/consultations/" + rec.id;
    while (index > 0 && skipped(index - 1)) --index;
    return index == 0 ? base : base + "/questions/" + std::to_string(index);
  }
  std::string base() const { return "/" + loc.lang() + "/consultations/" + rec.id; }

  Result<pages::FormFields, HttpResponse> posted_form() const;
  std::optional<size_t> question_index() const;
  HttpResponse question_page(size_t index, const nlohmann::json& value, const std::string& raw,
                             const JourneyError& error, bool change) const;
  HttpResponse check_page(const std::string& missing_key, size_t missing_index) const;
  HttpResponse save_page(const std::string& email, bool invalid) const;
  Date resume_until() const;
  std::optional<ResponseDraft> saved_answers(const std::string& secret) const;

  Api::Impl& api;
  RequestContext& ctx;
  const Localiser& loc;
  uint64_t generation = 0;  // of the public content, read before the consultation
  ConsultationRecord rec;
  std::shared_ptr<const CachedConsultation> cached;
  pages::Session session;
  ResponseDraft draft;
  Content content;
  std::optional<panel::Member> member;
  std::vector<panel::Fact> facts;
  std::map<std::string, nlohmann::json> known;  // question id → the valid fact's value
};

Result<ResponseJourney, HttpResponse> ResponseJourney::start(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  // Read before anything the pages show, so a page kept under it is never older than it says.
  const uint64_t generation = api.public_generation.load(std::memory_order_acquire);
  HttpResponse fail;
  auto found = load_public_consultation(api, ctx.params["id"], loc, fail);
  if (!found) return fail;
  if (found->status != ConsultationStatus::kOpen) {
    auto closes = doc_date(found->document, "closes");
    if (!closes) return not_found_page(loc.lang());
    PageOptions o;
    o.title = loc.text("error.consultation_closed_title");
    o.status = 410;
    o.rest_path = "/consultations/" + found->id;
    return pages::render_page(loc, "text_page",
                              {{"heading", loc.html("error.consultation_closed_title")},
                               {"paragraphs", {loc.html("error.consultation_closed", {{"date", *closes}})}},
                               {"home", true}},
                              o);
  }
  auto entry = api.cached(found->id);
  if (!entry) return pages::error_page(loc, entry.error());
  ResponseJourney j(api, ctx, loc);
  j.generation = generation;
  j.rec = std::move(found).value();
  j.cached = *entry;
  j.session = pages::session_of(api, ctx.request);
  j.content = content_of(api.store, j.rec, loc.lang(), j.cached->questions);
  j.draft.key = draft_key(j.session, j.rec.id);
  j.draft.consultation_id = j.rec.id;
  if (!j.session.is_new) {
    if (auto d = api.store.get_draft(j.draft.key)) j.draft = std::move(d).value();
  }
  j.draft.language = loc.lang();
  if (auto m = pages::signed_in_member(api, ctx.request)) {
    auto held = api.store.member_facts(m->id);
    if (!held) return pages::error_page(loc, held.error());
    j.facts = std::move(held).value();
    for (const auto& q : panel::questions_for_member(j.cached->questions, j.facts, api.today())) {
      if (q.value("known", false)) j.known[q["id"].get<std::string>()] = q["prefill"];
    }
    j.member = std::move(m);
  }
  return j;
}

// A POST's form, after its CSRF token is checked; otherwise the page refusing it.
Result<pages::FormFields, HttpResponse> ResponseJourney::posted_form() const {
  auto form = pages::parse_form(ctx.request.content_type, ctx.request.body);
  if (!form || !pages::csrf_valid(session, pages::form_value(*form, "csrf"))) {
    return with_session(text_page(loc, form ? 403 : 400, "error.form_expired_title", {"error.form_expired"},
                                  "/consultations/" + rec.id),
                        session);
  }
  return std::move(form).value();
}

std::optional<size_t> ResponseJourney::question_index() const {
  const std::string& n = ctx.params.at("n");
  if (n.empty() || n.size() > 4 || n.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  size_t i = std::stoul(n);
  if (i < 1 || i > cached->questions.size()) return std::nullopt;
  return i - 1;
}

HttpResponse ResponseJourney::question_page(size_t index, const nlohmann::json& value, const std::string& raw,
                                            const JourneyError& error, bool change) const {
  const auto [number, total] = position(index);
  PageOptions o;
  o.title = content.questions[index]["text"].get<std::string>();
  o.rest_path = "/consultations/" + rec.id + "/questions/" + std::to_string(index + 1);
  o.back = before(index);
  // Before anything is answered on it, the page is the same for everyone but its CSRF token
  // (most views of a question page are first views): kept rendered, keyed by all else it shows.
  const bool first_view = value.is_null() && raw.empty() && error.key.empty();
  std::string kept_key;
  if (first_view) {
    kept_key = loc.lang() + '\n' + rec.id + '\n' + std::to_string(index) + '\n' + std::to_string(number) + '\n' +
               std::to_string(total) + '\n' + (change ? "1" : "0") + '\n' + o.back;
    if (auto kept = pages::kept_page(generation, kept_key, pages::csrf_token(session))) {
      return with_session(std::move(*kept), session);
    }
  }
  nlohmann::json d = question_view_data(loc, rec.id, cached->questions, content, index, value, raw);
  d["csrf"] = first_view ? pages::token_marker() : pages::csrf_token(session);
  d["change"] = change;
  d["question_of"] = loc.html("journey.question_of", {{"number", number}, {"total", total}});
  if (!error.key.empty()) {
    pages::add_field_error(d, o, loc.html(error.key, error.args), "answer");
    set_question_described_by(d, true);
  }
  HttpResponse page = pages::render_page(loc, "question", d, o);
  if (first_view) page = pages::keep_page(generation, kept_key, std::move(page), pages::csrf_token(session));
  return with_session(std::move(page), session);
}

HttpResponse ResponseJourney::check_page(const std::string& missing_key, size_t missing_index) const {
  nlohmann::json rows = nlohmann::json::array();
  const auto& qs = cached->questions;
  for (size_t i = 0; i < qs.size(); ++i) {
    nlohmann::json value = answer(i);
    // Options are stored in English; show them as the question page labelled them.
    const std::string at = "/items/" + std::to_string(i);
    nlohmann::json shown = value;
    std::string first_option = at + "/option_labels/0";
    if (is_content_answer(qs[i]) && !value.is_null()) {
      const auto& english = qs[i]["options"];
      const auto labels = content.questions[i].value("option_labels", english);
      auto label_of = [&](const nlohmann::json& v) {
        for (size_t k = 0; k < english.size() && k < labels.size(); ++k) {
          if (english[k] == v) {
            first_option = at + "/option_labels/" + std::to_string(k);
            return labels[k];
          }
        }
        return v;
      };
      if (value.is_array()) {
        shown = nlohmann::json::array();
        for (const auto& v : value) shown.push_back(label_of(v));
        if (!value.empty()) label_of(value[0]);
      } else {
        shown = label_of(value);
      }
    }
    nlohmann::json row = {{"id", rec.id},
                          {"number", std::to_string(i + 1)},
                          {"text", content.questions[i]["text"]},
                          {"ta", content.attrs(at + "/text")},
                          {"answer", answer_html(loc, shown)},
                          {"content", is_content_answer(qs[i]) && !value.is_null()},
                          {"known", skipped(i)},
                          {"known_text", loc.html("journey.known_fact")},
                          {"lang", loc.lang()}};
    merge(row, content.attrs(first_option));
    rows.push_back(row);
  }
  nlohmann::json d = {{"id", rec.id}, {"title", content.doc.value("title", "")}, {"ta", content.attrs("/title")},
                      {"rows", rows}, {"csrf", pages::csrf_token(session)}};
  merge(d, content_attrs());
  PageOptions o;
  o.title = loc.text("journey.check_answers");
  o.rest_path = "/consultations/" + rec.id + "/check";
  o.back = before(qs.size());
  if (!missing_key.empty()) {
    d["errors"] = nlohmann::json::array(
        {{{"href", base() + "/questions/" + std::to_string(missing_index + 1) + "?change=1"},
          {"message", loc.html(missing_key)}}});
    o.has_error = true;
    o.status = 422;
  }
  return with_session(pages::render_page(loc, "check", d, o), session);
}

HttpResponse ResponseJourney::save_page(const std::string& email, bool invalid) const {
  nlohmann::json d = {{"id", rec.id}, {"email", email}, {"csrf", pages::csrf_token(session)}};
  PageOptions o;
  o.title = loc.text("journey.save_title");
  o.rest_path = "/consultations/" + rec.id + "/save";
  o.back = base() + "/check";
  if (invalid) pages::add_field_error(d, o, loc.html("error.email_invalid"), "email");
  return with_session(pages::render_page(loc, "save", d, o), session);
}

Date ResponseJourney::resume_until() const {
  Date until = api.today().plus_days(kResumeDays);
  if (auto closes = doc_date(rec.document, "closes"); closes && *closes < until) until = *closes;
  return until;
}

// The saved answers under a resume link's key, or nullopt (then gone) when unknown or expired.
std::optional<ResponseDraft> ResponseJourney::saved_answers(const std::string& secret) const {
  std::string key = resume_key(secret, rec.id);
  auto saved = api.store.get_draft(key);
  bool expired = !saved;
  if (saved) {
    auto at = Date::parse(saved->updated_at.substr(0, 10));
    expired = !at || at->plus_days(kResumeDays) < api.today();
  }
  if (expired) {
    (void)api.store.delete_draft(key);
    return std::nullopt;
  }
  return std::move(saved).value();
}

Result<HttpResponse> ResponseJourney::show_question() {
  auto index = question_index();
  if (!index) return not_found_page(loc.lang());
  bool change = ctx.query["change"] == "1";
  if (skipped(*index) && !change) {  // ask once: on to the next question to ask
    size_t next = next_asked(*index);
    return with_session(pages::redirect(next == cached->questions.size() ? base() + "/check"
                                                                         : base() + "/questions/" + std::to_string(next + 1)),
                        session);
  }
  return question_page(*index, answer(*index), "", {}, change);
}

Result<HttpResponse> ResponseJourney::answer_question() {
  auto index = question_index();
  if (!index) return not_found_page(loc.lang());
  auto form = posted_form();
  if (!form) return form.error();
  const auto& q = cached->questions[*index];
  bool change = ctx.query["change"] == "1";
  JourneyError error;
  nlohmann::json value = answer_from_form(q, *form, error);
  if (error.key.empty()) error = check_answer(q, value);
  if (!error.key.empty()) return question_page(*index, value, pages::form_value(*form, "answer"), error, change);
  std::string id = q["id"];
  if (value.is_null()) {
    draft.answers.erase(id);
  } else {
    draft.answers[id] = value;
  }
  if (auto st = api.store.save_draft(draft); !st) return st.error();
  size_t next = next_asked(*index + 1);
  bool last = next == cached->questions.size();
  return with_session(pages::redirect(change || last ? base() + "/check" : base() + "/questions/" + std::to_string(next + 1)),
                      session);
}

void ResponseJourney::send(const Respond& respond) {
  auto form = posted_form();
  if (!form) return respond(form.error());
  // Back from the confirmation and Send again: the response is stored already, so say so.
  if (auto sent = sent_reference(draft)) return respond(already_responded_page(loc, rec.id, *sent, 409));
  ResponseRequest request;
  request.channel = "online";
  request.language = loc.lang();
  request.answers = draft.answers;
  // Ask once happens in check_response: a signed-in member's known facts fill the questions not
  // asked, and the facts they gave are kept with the response, in its transaction.
  auto checked = check_response(api.store, *cached, Respondent{User{}, member}, std::move(request), api.options.policy,
                                api.today());
  if (!checked) {
    const auto& e = checked.error();
    if (e.refusal == SubmitRefusal::kInvalidAnswer) {
      const auto& qs = cached->questions;
      for (size_t i = 0; i < qs.size(); ++i) {
        if (e.field != "/answers/" + json_pointer_token(qid(i))) continue;
        auto error = check_answer(qs[i], answer(i));
        return respond(check_page(error.key.empty() ? "error.select_answer" : error.key, i));
      }
    }
    if (e.refusal == SubmitRefusal::kNone) return respond(pages::error_page(loc, e));
    return respond(text_page(loc, 409, "error.not_sent_title", {"error.not_sent"}, ""));
  }
  api.committer.submit(std::move(checked).value(),
                       [respond, key = draft.key, id = rec.id, confirmation = base() + "/confirmation/",
                        lang = loc.lang(), &store = api.store](Result<StoredResponse> r) {
                         if (!r) {
                           Localiser l(lang);
                           if (r.error().code == ErrorCode::kStorageFull) {
                             // Nothing was stored, and sending the same answers again later will work.
                             auto page = text_page(l, 503, "error.not_sent_title", {"error.not_sent"}, "");
                             page.headers.emplace_back("Retry-After", "120");
                             return respond(std::move(page));
                           }
                           return respond(text_page(l, 409, "error.not_sent_title", {"error.not_sent"}, ""));
                         }
                         remember_sent(store, key, id, lang, r->reference);
                         respond(pages::redirect(confirmation + r->reference));
                       });
}

Result<HttpResponse> ResponseJourney::save() {
  auto form = posted_form();
  if (!form) return form.error();
  const std::string typed = pages::form_value(*form, "email");
  auto checked = email_address(typed);
  if (!checked) return save_page(typed, true);
  const std::string& email = *checked;
  if (auto d = take_all(api, email_checks(api, ctx.request, email)); !d.allowed) {
    return pages::too_many_requests_page(loc, d, session);
  }
  std::string secret = new_bearer_token();
  ResponseDraft copy = draft;
  copy.key = resume_key(secret, rec.id);
  copy.email = "";
  if (auto st = api.store.save_draft(copy); !st) return st.error();
  draft.email = email;
  if (auto st = api.store.save_draft(draft); !st) return st.error();
  std::string link = api.options.public_url + base() + "/resume/" + secret;
  OutboxEmail mail;
  mail.to = email;
  mail.subject = loc.text("email.resume_subject");
  mail.body = loc.text("email.resume_body", {{"link", link}, {"date", resume_until()}}) + "\n";
  auto id = api.store.add_outbox_email(mail);
  if (!id) return id.error();
  std::cout << "townhall: outbox: email " << *id << " (resume link for " << rec.id << ") queued" << std::endl;
  return with_session(pages::redirect(base() + "/saved"), session);
}

HttpResponse ResponseJourney::saved() const {
  if (draft.email.empty()) return not_found_page(loc.lang());
  nlohmann::json d = {{"id", rec.id},
                      {"title", rec.document.value("title", "")},
                      {"saved_text", loc.html("journey.saved", {{"email", draft.email}, {"date", resume_until()}})}};
  PageOptions o;
  o.title = loc.text("journey.saved_title");
  o.rest_path = "/consultations/" + rec.id + "/saved";
  return with_session(pages::render_page(loc, "saved", d, o), session);
}

HttpResponse ResponseJourney::show_resume() {
  const std::string& secret = ctx.params["token"];
  if (!saved_answers(secret)) return with_session(text_page(loc, 410, "error.link_expired", {}, ""), session);
  PageOptions o;
  o.title = loc.text("journey.resume_title");
  o.rest_path = "/consultations/" + rec.id;
  return with_session(
      pages::render_page(loc, "resume", {{"id", rec.id}, {"secret", secret}, {"csrf", pages::csrf_token(session)}}, o),
      session);
}

Result<HttpResponse> ResponseJourney::resume() {
  auto form = posted_form();
  if (!form) return form.error();
  auto saved = saved_answers(ctx.params["token"]);
  if (!saved) return with_session(text_page(loc, 410, "error.link_expired", {}, ""), session);
  draft.answers = saved->answers;
  if (auto st = api.store.save_draft(draft); !st) return st.error();
  (void)api.store.delete_draft(saved->key);  // a resume link works once
  const auto& qs = cached->questions;
  for (size_t i = 0; i < qs.size(); ++i) {
    if (!draft.answers.contains(qs[i]["id"].get<std::string>())) {
      return with_session(pages::redirect(base() + "/questions/" + std::to_string(i + 1)), session);
    }
  }
  return with_session(pages::redirect(base() + "/check"), session);
}

}  // namespace


// GET /{lang}/consultations/{id}/questions/{n}
Result<HttpResponse> get_consultations_id_questions_n_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto j = ResponseJourney::start(api, ctx, loc);
  if (!j) return j.error();
  return j->show_question();
}

// POST /{lang}/consultations/{id}/questions/{n}
Result<HttpResponse> post_consultations_id_questions_n_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto j = ResponseJourney::start(api, ctx, loc);
  if (!j) return j.error();
  return j->answer_question();
}

// GET /{lang}/consultations/{id}/check
Result<HttpResponse> get_consultations_id_check_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto j = ResponseJourney::start(api, ctx, loc);
  if (!j) return j.error();
  return j->check_answers();
}

// POST /{lang}/consultations/{id}/check. Sending the response answers asynchronously (after the
// group commit), so this one page does not go through `page`.
void post_consultations_id_check(Api::Impl& api, RequestContext& ctx, Respond& respond) {
  const std::string lang = ctx.params["lang"];
  if (!pages::is_page_language(lang)) return respond(not_found_page(lang));
  Localiser loc(lang);
  try {
    auto j = ResponseJourney::start(api, ctx, loc);
    if (!j) return respond(j.error());
    j->send(respond);
  } catch (const std::exception& e) {
    respond(pages::error_page(loc, Error{ErrorCode::kInternal, "", e.what()}));
  }
}

// GET /{lang}/consultations/{id}/save
Result<HttpResponse> get_consultations_id_save_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto j = ResponseJourney::start(api, ctx, loc);
  if (!j) return j.error();
  return j->show_save();
}

// POST /{lang}/consultations/{id}/save
Result<HttpResponse> post_consultations_id_save_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto j = ResponseJourney::start(api, ctx, loc);
  if (!j) return j.error();
  return j->save();
}

// GET /{lang}/consultations/{id}/saved
Result<HttpResponse> get_consultations_id_saved_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto j = ResponseJourney::start(api, ctx, loc);
  if (!j) return j.error();
  return j->saved();
}

// GET /{lang}/consultations/{id}/resume/{token}
Result<HttpResponse> get_consultations_id_resume_token_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto j = ResponseJourney::start(api, ctx, loc);
  if (!j) return j.error();
  return j->show_resume();
}

// POST /{lang}/consultations/{id}/resume/{token}
Result<HttpResponse> post_consultations_id_resume_token_page(Api::Impl& api, RequestContext& ctx, const Localiser& loc) {
  auto j = ResponseJourney::start(api, ctx, loc);
  if (!j) return j.error();
  return j->resume();
}

}  // namespace townhall::server
