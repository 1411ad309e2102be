#include "townhall/responses/submission_body.h"

namespace townhall {
namespace {

bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_alnum(char c) { return is_alpha(c) || (c >= '0' && c <= '9'); }

// ^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,11}$ and at most kSubmissionLanguageMaxLength characters (35
// characters hold at most 11 subtags, so the bound on repetitions changes nothing here).
bool is_language_tag(std::string_view s) {
  if (s.size() > kSubmissionLanguageMaxLength) return false;
  size_t i = 0;
  while (i < s.size() && is_alpha(s[i])) ++i;
  if (i < 2 || i > 3) return false;
  while (i < s.size()) {
    if (s[i] != '-') return false;
    size_t start = ++i;
    while (i < s.size() && is_alnum(s[i])) ++i;
    if (i - start < 2 || i - start > 8) return false;
  }
  return true;
}

bool is_channel(std::string_view s) {
  for (auto c : kSubmissionChannels) {
    if (s == c) return true;
  }
  return false;
}

}  // namespace

bool read_plain_submission(std::string_view body, PlainSubmission& out) {
  FlatAnswers& f = out.answers;
  f.begin(body);
  out.channel = "online";
  out.language = "en-GB";
  bool seen_answers = false, seen_channel = false, seen_language = false;
  f.ws();
  if (!f.consume('{')) return false;
  f.ws();
  if (f.consume('}')) return false;  // "answers" is required
  for (;;) {
    f.ws();
    std::string_view key;
    if (!f.peek('"') || !f.string(key)) return false;
    f.ws();
    if (!f.consume(':')) return false;
    f.ws();
    if (key == "answers") {
      if (seen_answers || !f.object()) return false;
      seen_answers = true;
    } else if (key == "channel") {
      if (seen_channel || !f.peek('"') || !f.string(out.channel) || !is_channel(out.channel)) return false;
      seen_channel = true;
    } else if (key == "language") {
      if (seen_language || !f.peek('"') || !f.string(out.language) || !is_language_tag(out.language)) return false;
      seen_language = true;
    } else {
      return false;  // person_id (the general path checks it), or a member the schema refuses
    }
    f.ws();
    if (f.consume(',')) continue;
    if (!f.consume('}')) return false;
    break;
  }
  f.ws();
  return f.at_end() && seen_answers && f.values().size() <= kSubmissionMaxAnswers && !f.has_duplicate_keys();
}

}  // namespace townhall
