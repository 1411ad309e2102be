// i18n core: locales, formatting, fallback, negotiation, direction, endonyms, collation, NFC and
// UTF-8 validation. Expected values come from CLDR/Unicode facts and the languages' grammar and
// alphabets, not from running the code.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "townhall/i18n/catalog.h"
#include "townhall/i18n/catalog_check.h"
#include "townhall/i18n/locale.h"
#include "townhall/i18n/text.h"

using namespace townhall;
using namespace townhall::i18n;

namespace {

bool has_arabic_indic_digits(const std::string& s) {
  // U+0660–U+0669 are D9 A0–D9 A9; U+06F0–U+06F9 (Persian/Urdu) are DB B0–DB B9.
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    const auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]);
    if (a == 0xD9 && b >= 0xA0 && b <= 0xA9) return true;
    if (a == 0xDB && b >= 0xB0 && b <= 0xB9) return true;
  }
  return false;
}

CatalogSet small_set() {
  auto set = CatalogSet::from_sources({
      {"en-GB.json", R"({"meta":{"locale":"en-GB","review":{"status":"reviewed"}},"messages":{
          "a":"Hello {name}","b":"{count, plural, one {# reply} other {# replies}}",
          "d":"Closes {date, date, long}"}})"},
      {"cy.json", R"({"meta":{"locale":"cy","review":{"status":"machine-draft","uncertain":["a"]}},"messages":{
          "a":"Helo {name}"}})"},
      {"pa-Arab.json", R"({"meta":{"locale":"pa-Arab"},"messages":{"a":"سلام {name}"}})"},
  });
  EXPECT_TRUE(set.ok()) << (set ? "" : set.error().describe());
  return std::move(*set);
}

}  // namespace

TEST(I18nLocale, InitSetsEnGbDefaultAndIsIdempotent) {
  init_i18n();
  init_i18n();
  // With no locale at all, formatting falls back to en-GB, whose long date is day-month-year.
  EXPECT_EQ(format_date("", Date::from_ymd(2026, 11, 25)), "25 November 2026");
}

TEST(I18nLocale, CanonicalTags) {
  EXPECT_EQ(*canonical_tag("EN-gb"), "en-GB");
  EXPECT_EQ(*canonical_tag("pa_guru"), "pa-Guru");
  EXPECT_EQ(*canonical_tag("cy"), "cy");
  auto bad = canonical_tag("not a tag!", "/lang");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "/lang");
  EXPECT_FALSE(canonical_tag("").ok());
}

// Legacy ("grandfathered") tags have preferred values in the IANA language subtag registry
// (RFC 5646 §2.2.8): art-lojban is jbo, i-klingon tlh, zh-min-nan nan. Whatever the input, the
// canonical tag is a fixed point — stored, it reads back as itself — including tags that hold a
// legacy tag inside a longer one, where one pass of ICU leaves a tag the next pass changes.
TEST(I18nLocale, CanonicalTagsAreLegacyTagsPreferredValuesAndAFixedPoint) {
  EXPECT_EQ(*canonical_tag("art-lojban"), "jbo");
  EXPECT_EQ(*canonical_tag("i-klingon"), "tlh");
  EXPECT_EQ(*canonical_tag("zh-min-nan"), "nan");
  for (const char* tag : {"gn-art-lojbanrt-lojban", "art-lojban-lojbanrt", "en-art-lojban", "cy-i-klingon",
                          "zh-min-nan-hant", "EN-gb", "sgn-BE-FR", "en-GB-oed", "pa_guru", "x-private"}) {
    auto once = canonical_tag(tag);
    if (!once) continue;  // refused with a reason is fine; a tag that moves on each reading is not
    auto twice = canonical_tag(*once);
    ASSERT_TRUE(twice.ok()) << tag << " -> " << *once << ": " << twice.error().describe();
    EXPECT_EQ(*twice, *once) << tag;
  }
}

TEST(I18nLocale, RightToLeftLanguagesFromDesign) {
  for (const char* t : {"ar", "ur", "fa", "ps", "ckb", "pa-Arab", "he"}) EXPECT_TRUE(is_right_to_left(t)) << t;
  for (const char* t : {"en-GB", "cy", "pl", "pa", "pa-Guru", "so", "bn", "ro", "gu", "ta"}) {
    EXPECT_FALSE(is_right_to_left(t)) << t;
  }
  EXPECT_STREQ(html_dir("ar"), "rtl");
  EXPECT_STREQ(html_dir("cy"), "ltr");
  EXPECT_FALSE(is_right_to_left("!!"));
}

TEST(I18nLocale, EndonymsAreTheLanguagesOwnNames) {
  EXPECT_EQ(endonym("cy"), "Cymraeg");
  EXPECT_EQ(endonym("pl"), "Polski");
  EXPECT_EQ(endonym("ar"), "العربية");
  EXPECT_EQ(endonym("ur"), "اردو");
  EXPECT_EQ(endonym("bn"), "বাংলা");
  EXPECT_EQ(endonym("so"), "Soomaali");
  EXPECT_NE(endonym("pa-Guru").find("ਪੰਜਾਬੀ"), std::string::npos);
  EXPECT_EQ(display_name("cy", "en-GB"), "Welsh");
}

TEST(I18nLocale, FormattingTagPinsLatinDigits) {
  EXPECT_EQ(formatting_tag("ar"), "ar-u-nu-latn");
  EXPECT_EQ(formatting_tag("en-GB"), "en-GB-u-nu-latn");
}

TEST(I18nLocale, AcceptLanguageNegotiation) {
  const std::vector<std::string> supported = {"en-GB", "cy", "ar", "pa-Guru", "pa-Arab", "ur", "pl"};
  EXPECT_EQ(negotiate_language("cy-GB,cy;q=0.9,en;q=0.8", supported), "cy");
  EXPECT_EQ(negotiate_language("en-US,en;q=0.9", supported), "en-GB");
  EXPECT_EQ(negotiate_language("pl-PL", supported), "pl");
  EXPECT_EQ(negotiate_language("ar-EG;q=0.5, ur;q=0.9", supported), "ur");
  EXPECT_EQ(negotiate_language("pa-PK", supported), "pa-Arab");  // Punjabi in Pakistan: Shahmukhi
  EXPECT_EQ(negotiate_language("pa-IN", supported), "pa-Guru");   // Punjabi in India: Gurmukhi
  EXPECT_EQ(negotiate_language("ja-JP", supported), "en-GB");     // nothing close: the default
  EXPECT_EQ(negotiate_language("", supported), "en-GB");
  EXPECT_EQ(negotiate_language(";;;q=x,", supported), "en-GB");
  EXPECT_EQ(negotiate_language("cy", {}), "en-GB");
}

TEST(I18nFormat, DatesAreEuropeLondonLocalDates) {
  // The clocks change on these days; a UTC-midnight conversion would show the previous day.
  EXPECT_EQ(format_date("en-GB", Date::from_ymd(2026, 3, 29)), "29 March 2026");
  EXPECT_EQ(format_date("en-GB", Date::from_ymd(2026, 10, 25)), "25 October 2026");
  EXPECT_EQ(format_date("en-GB", Date::from_ymd(2025, 7, 17), DateStyle::kFull), "Thursday, 17 July 2025");  // CLDR en-GB full: EEEE, d MMMM y
  EXPECT_EQ(format_date("cy", Date::from_ymd(2026, 1, 5)), "5 Ionawr 2026");  // Welsh: Ionawr = January
}

TEST(I18nFormat, ArabicAndUrduUseLatinDigits) {
  const std::string ar = format_date("ar", Date::from_ymd(2026, 11, 25));
  EXPECT_FALSE(has_arabic_indic_digits(ar)) << ar;
  EXPECT_NE(ar.find("25"), std::string::npos) << ar;
  EXPECT_NE(ar.find("2026"), std::string::npos) << ar;
  const std::string ur = format_number("ur", 1234.5);
  EXPECT_FALSE(has_arabic_indic_digits(ur)) << ur;
  EXPECT_FALSE(has_arabic_indic_digits(format_number("fa", 42))) << format_number("fa", 42);
  auto m = format_pattern("ar", "{n, number}", {{"n", int64_t{1234}}});
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(has_arabic_indic_digits(*m)) << *m;
}

TEST(I18nFormat, NumbersUseTheLocalesSeparators) {
  EXPECT_EQ(format_number("en-GB", 1234.5), "1,234.5");
  const std::string pl = format_number("pl", 1234.5);  // Polish: space-like group separator, comma decimal
  EXPECT_NE(pl.find(",5"), std::string::npos) << pl;
  EXPECT_EQ(pl.find('.'), std::string::npos) << pl;
}

TEST(I18nFormat, PluralsFollowEachLanguagesRules) {
  const char* pattern =
      "{n, plural, zero {zero} one {one} two {two} few {few} many {many} other {other}}";
  // Welsh (CLDR): 0 zero, 1 one, 2 two, 3 few, 6 many, everything else other.
  const std::vector<std::pair<int64_t, std::string>> welsh = {{0, "zero"}, {1, "one"}, {2, "two"}, {3, "few"},
                                                              {4, "other"}, {6, "many"}, {7, "other"}, {100, "other"}};
  for (const auto& [n, want] : welsh) EXPECT_EQ(*format_pattern("cy", pattern, {{"n", n}}), want) << n;
  // Polish: 1 one; 2–4, 22–24 few; 5–21, 25 many.
  const std::vector<std::pair<int64_t, std::string>> polish = {{1, "one"}, {2, "few"}, {5, "many"}, {12, "many"},
                                                               {22, "few"}, {25, "many"}};
  for (const auto& [n, want] : polish) EXPECT_EQ(*format_pattern("pl", pattern, {{"n", n}}), want) << n;
  // Arabic: 0 zero, 1 one, 2 two, 3–10 few, 11–99 many, 100 other.
  const std::vector<std::pair<int64_t, std::string>> arabic = {{0, "zero"}, {1, "one"}, {2, "two"}, {3, "few"},
                                                               {11, "many"}, {100, "other"}};
  for (const auto& [n, want] : arabic) EXPECT_EQ(*format_pattern("ar", pattern, {{"n", n}}), want) << n;
}

TEST(I18nFormat, PluralCategoriesAreCldrs) {
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(sorted(plural_categories("en-GB")), (V{"one", "other"}));
  EXPECT_EQ(sorted(plural_categories("cy")), (V{"few", "many", "one", "other", "two", "zero"}));
  EXPECT_EQ(sorted(plural_categories("pl")), (V{"few", "many", "one", "other"}));
  EXPECT_EQ(sorted(plural_categories("ar")), (V{"few", "many", "one", "other", "two", "zero"}));
  EXPECT_EQ(sorted(plural_categories("ur")), (V{"one", "other"}));
  // Polish "other" is only for fractions (1,5 odpowiedzi), so no whole number reaches it.
  auto ints = integer_plural_categories("pl");
  EXPECT_TRUE(std::none_of(ints.begin(), ints.end(), [](const auto& e) { return e.first == "other"; }));
  EXPECT_EQ(ints.size(), 3u);
}

TEST(I18nCatalog, FormatsWithNamedArgumentsAndFallsBack) {
  const CatalogSet set = small_set();
  auto a = set.format("cy", "a", {{"name", std::string("Siân")}});
  ASSERT_TRUE(a.ok()) << a.error().describe();
  EXPECT_EQ(a->text, "Helo Siân");
  EXPECT_EQ(a->locale, "cy");
  EXPECT_FALSE(a->fell_back);
  // A key the Welsh catalog lacks comes from en-GB and says so.
  auto b = set.format("cy", "b", {{"count", int64_t{1}}});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->text, "1 reply");
  EXPECT_EQ(b->locale, "en-GB");
  EXPECT_TRUE(b->fell_back);
  // Regional variants resolve to their language; unknown languages to en-GB.
  EXPECT_EQ(set.format("cy-GB", "a", {{"name", std::string("x")}})->locale, "cy");
  EXPECT_FALSE(set.format("cy-GB", "a", {{"name", std::string("x")}})->fell_back);
  EXPECT_EQ(set.format("fr", "a", {{"name", std::string("x")}})->locale, "en-GB");
  EXPECT_TRUE(set.format("fr", "a", {{"name", std::string("x")}})->fell_back);
  EXPECT_EQ(set.format("pa-PK", "a", {{"name", std::string("x")}})->locale, "pa-Arab");
  EXPECT_FALSE(set.format("pa-PK", "a", {{"name", std::string("x")}})->fell_back);
  EXPECT_FALSE(set.format("en-US", "a", {{"name", std::string("x")}})->fell_back);
  EXPECT_EQ(set.format("en-GB", "d", {{"date", Date::from_ymd(2026, 3, 29)}})->text, "Closes 29 March 2026");
}

TEST(I18nCatalog, FormatErrorsNameTheProblem) {
  const CatalogSet set = small_set();
  auto unknown = set.format("en-GB", "nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().field, "nope");
  auto missing = set.format("en-GB", "a");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().field, "name");
  auto wrong_type = set.format("en-GB", "b", {{"count", std::string("three")}});
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error().field, "count");
  auto bad_utf8 = set.format("en-GB", "a", {{"name", std::string("\xC3\x28")}});
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_EQ(bad_utf8.error().field, "name");
}

TEST(I18nCatalog, ParseRejectsBadCatalogsNamingTheField) {
  auto no_messages = Catalog::parse(R"({"meta":{"locale":"cy"}})", "cy.json");
  ASSERT_FALSE(no_messages.ok());
  EXPECT_EQ(no_messages.error().field, "cy.json#/messages");
  auto not_string = Catalog::parse(R"({"meta":{"locale":"cy"},"messages":{"k":3}})", "cy.json");
  ASSERT_FALSE(not_string.ok());
  EXPECT_EQ(not_string.error().field, "cy.json#/messages/k");
  auto bad_status = Catalog::parse(R"({"meta":{"locale":"cy","review":{"status":"ok"}},"messages":{}})", "cy.json");
  ASSERT_FALSE(bad_status.ok());
  EXPECT_EQ(bad_status.error().field, "cy.json#/meta/review/status");
  auto wrong_file = CatalogSet::from_sources({{"pl.json", R"({"meta":{"locale":"cy"},"messages":{}})"}});
  ASSERT_FALSE(wrong_file.ok());
  EXPECT_EQ(wrong_file.error().field, "pl.json#/meta/locale");
}

TEST(I18nCatalog, BuiltinCatalogsCoverTheCommunityLanguagesAndPassTheCheck) {
  const CatalogSet& set = CatalogSet::builtin();
  const auto locales = set.locales();
  ASSERT_GE(locales.size(), 10u);
  EXPECT_EQ(locales.front(), "en-GB");
  for (const char* required : {"cy", "ar", "ur", "pl", "so", "bn"}) {
    EXPECT_NE(set.find(required), nullptr) << required;
  }
  EXPECT_TRUE(set.find("pa-Guru") != nullptr || set.find("pa-Arab") != nullptr);
  for (const auto& p : check_catalogs(set)) EXPECT_FALSE(p.error) << p.describe();
  // Every catalog is complete: no message falls back to English.
  const Catalog* en = set.find("en-GB");
  for (const auto& tag : locales) {
    for (const auto& [key, pattern] : en->messages()) EXPECT_NE(set.find(tag)->pattern(key), nullptr) << tag << " " << key;
  }
  // Only the source language claims to be reviewed; machine drafts say so.
  for (const auto& tag : locales) {
    if (tag != "en-GB") {
      EXPECT_TRUE(set.find(tag)->review().needs_review()) << tag;
    }
  }
}

TEST(I18nCatalog, BuiltinArabicAndWelshPluralsFormat) {
  const CatalogSet& set = CatalogSet::builtin();
  auto ar = set.format("ar", "consultation.responses_so_far", {{"count", int64_t{25}}});
  ASSERT_TRUE(ar.ok()) << ar.error().describe();
  EXPECT_NE(ar->text.find("25"), std::string::npos) << ar->text;
  EXPECT_FALSE(has_arabic_indic_digits(ar->text)) << ar->text;
  EXPECT_TRUE(is_right_to_left(ar->locale));
  // Welsh has distinct forms for 2 (two) and 3 (few); they must not collapse into one text.
  auto two = set.format("cy", "consultation.days_left", {{"count", int64_t{2}}});
  auto three = set.format("cy", "consultation.days_left", {{"count", int64_t{3}}});
  ASSERT_TRUE(two.ok() && three.ok());
  EXPECT_EQ(two->locale, "cy");
  EXPECT_NE(two->text.find('2'), std::string::npos);
  EXPECT_NE(three->text.find('3'), std::string::npos);
  auto date = set.format("cy", "consultation.closes", {{"date", Date::from_ymd(2026, 1, 5)}});
  ASSERT_TRUE(date.ok());
  EXPECT_NE(date->text.find("5 Ionawr 2026"), std::string::npos) << date->text;
}

TEST(I18nText, Utf8ValidationRejectsAndNamesTheField) {
  EXPECT_TRUE(validate_utf8("Ŵyl Dewi Sant — العربية", "/body").ok());
  for (const std::string& bad : {std::string("\xC3\x28"), std::string("ok \xC0\xAF"), std::string("\xED\xA0\x80"),
                                std::string("\xF4\x90\x80\x80"), std::string("abc\xE2\x82")}) {
    auto st = validate_utf8(bad, "/responses/0/answer");
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().field, "/responses/0/answer");
    EXPECT_NE(st.error().message.find("UTF-8"), std::string::npos);
  }
  auto st = validate_utf8("ok \xC0\xAF", "f");
  EXPECT_NE(st.error().message.find("byte 3"), std::string::npos) << st.error().message;
}

TEST(I18nText, NormalisesToNfc) {
  EXPECT_EQ(*normalize_for_storage("Cafe\xCC\x81", "f"), "Caf\xC3\xA9");  // e + U+0301 → U+00E9
  EXPECT_EQ(*normalize_for_storage("w\xCC\x82yl", "f"), "\xC5\xB5yl");    // w + U+0302 → ŵ
  EXPECT_EQ(*normalize_for_storage("already NFC", "f"), "already NFC");
  EXPECT_FALSE(normalize_for_storage("\xFF", "f").ok());
}

// Stored text (form fields, CSV imports, translations) holds no control characters but tabs and
// line breaks: a NUL would end the text early for anything reading it as a C string.
TEST(I18nText, StorageRefusesControlCharactersButNotLineBreaks) {
  auto nul = normalize_for_storage(std::string("a\0bbb", 5), "/name");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.error().field, "/name");
  EXPECT_NE(nul.error().message.find("U+0000"), std::string::npos) << nul.error().message;
  EXPECT_FALSE(normalize_for_storage("bell\x07", "f").ok());
  EXPECT_FALSE(normalize_for_storage("\x1b[2J", "f").ok());
  EXPECT_EQ(*normalize_for_storage("two\r\nlines\tand a tab", "f"), "two\r\nlines\tand a tab");
  // Text that is only read (a document whose readability is measured) may hold page breaks.
  EXPECT_EQ(*normalize_nfc("page one\fpage two", "f"), "page one\fpage two");
}

TEST(I18nText, CollationFollowsTheAlphabet) {
  // Welsh alphabet: … c ch d dd … l ll …: "ch" and "ll" are letters after "c" and "l".
  std::vector<std::string> words = {"llyfr", "dydd", "chwarae", "lori", "cyngor"};
  sort_for_locale(words, "cy");
  EXPECT_EQ(words, (std::vector<std::string>{"cyngor", "chwarae", "dydd", "lori", "llyfr"}));
  sort_for_locale(words, "en-GB");
  EXPECT_EQ(words, (std::vector<std::string>{"chwarae", "cyngor", "dydd", "llyfr", "lori"}));
  // Polish: ł is a letter after l; ż after ź after z.
  std::vector<std::string> pl = {"żaba", "łąka", "lody", "zupa", "maj"};
  sort_for_locale(pl, "pl");
  EXPECT_EQ(pl, (std::vector<std::string>{"lody", "łąka", "maj", "zupa", "żaba"}));
  EXPECT_LT(compare_for_locale("chwarae", "dydd", "cy"), 0);
  EXPECT_GT(compare_for_locale("chwarae", "cyngor", "cy"), 0);
}

TEST(I18nCatalog, FormatIsSafeFromManyThreads) {
  // Compiled formatters are cached per thread; every thread must get the single-thread answers.
  const CatalogSet& set = CatalogSet::builtin();
  const std::vector<std::string> locales = set.locales();
  auto render = [&](size_t seed) {
    std::vector<std::string> out;
    for (size_t i = 0; i < 300; ++i) {
      const std::string& tag = locales[(i + seed) % locales.size()];
      auto m = set.format(tag, "consultation.days_left", {{"count", static_cast<int64_t>(i % 30)}});
      auto d = set.format(tag, "consultation.closes", {{"date", Date::from_ymd(2026, 3, 29).plus_days(static_cast<int32_t>(i))}});
      out.push_back((m ? m->text : "ERR") + "|" + (d ? d->text : "ERR"));
    }
    return out;
  };
  std::vector<std::vector<std::string>> expected;
  for (size_t t = 0; t < 4; ++t) expected.push_back(render(t));
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) threads.emplace_back([&, t] { got[t] = render(t); });
  for (auto& th : threads) th.join();
  for (size_t t = 0; t < 4; ++t) EXPECT_EQ(got[t], expected[t]) << t;
}
