// Readability: segmentation, syllables and the published formulas on hand-counted texts.
#include <gtest/gtest.h>

#include "townhall/readability/report.h"
#include "townhall/readability/segmentation.h"

using namespace townhall;
using namespace townhall::readability;

TEST(Readability, EnglishSyllablesMatchTheDictionary) {
  // Counts from the CMU Pronouncing Dictionary / any English dictionary's hyphenation.
  const std::vector<std::pair<const char*, int>> words = {
      {"the", 1},        {"make", 1},         {"council", 2},      {"people", 2},     {"approved", 2},
      {"housing", 2},    {"borough", 2},      {"social", 2},       {"region", 2},     {"table", 2},
      {"residents", 3},  {"services", 3},     {"created", 3},      {"decision", 3},   {"various", 3},
      {"neighbourhood", 3}, {"consultation", 4}, {"communities", 4}, {"available", 4}, {"participation", 5},
      {"Council's", 2},  {"2026", 1},         {"changes", 2},      {"media", 3},      {"quality", 3},
      {"face-to-face", 3}, {"area", 3},       {"decision-making", 5},
  };
  for (const auto& [w, n] : words) EXPECT_EQ(english_syllables(w), n) << w;
}

TEST(Readability, SentenceBreakingKnowsAbbreviations) {
  // Without the en-GB suppressions (@ss=standard) ICU would end a sentence after "Mr.".
  auto s = split_sentences("Mr. Khan met the council. He agreed to the plan!  Why not?", "en-GB");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].text, "Mr. Khan met the council.");
  EXPECT_EQ(s[0].words.size(), 5u);
  EXPECT_EQ(s[2].text, "Why not?");
  // A heading on its own line is its own sentence.
  EXPECT_EQ(split_sentences("Parking changes\nWe want your views.", "en-GB").size(), 2u);
}

TEST(Readability, WordsAreLettersOrDigitsNotPunctuation) {
  auto w = split_words("The council’s plan for face-to-face meetings — 2026.", "en-GB");
  EXPECT_EQ(w, (std::vector<std::string>{"The", "council’s", "plan", "for", "face-to-face", "meetings", "2026"}));
  EXPECT_EQ(split_words("Mae’r cyngor yn gofyn.", "cy").size(), 4u);
  EXPECT_EQ(split_words("نريد رأيك في الخطة", "ar").size(), 4u);
}

TEST(Readability, FleschAndLixOnAHandCountedText) {
  // 9 one-syllable words, 2 sentences, no word longer than 6 letters.
  auto r = analyse_readability("The cat sat on the mat. The dog ran.", "en-GB");
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->sentences, 2u);
  EXPECT_EQ(r->words, 9u);
  EXPECT_EQ(r->syllables, 9u);
  EXPECT_EQ(r->long_words, 0u);
  // FRE = 206.835 − 1.015 × 4.5 − 84.6 × 1 = 117.6675; FK = 0.39 × 4.5 + 11.8 − 15.59 = −2.035.
  EXPECT_NEAR(*r->flesch_reading_ease, 117.67, 0.01);
  EXPECT_NEAR(*r->flesch_kincaid_grade, -2.035, 0.006);
  EXPECT_NEAR(r->lix, 4.5, 1e-9);
  EXPECT_TRUE(r->guidance.empty());
}

TEST(Readability, LongSentencesAndReadingAgeMissTheGuidance) {
  // Sentence 2 has 30 words; "consultation"/"participation" push the grade up.
  const std::string text =
      "We want your views. "
      "The consultation on neighbourhood participation arrangements considers representative "
      "democratic mechanisms, accessibility requirements, community infrastructure investment, "
      "environmental sustainability commitments and intergenerational equality considerations "
      "across every administrative ward in the borough today. Thank you.";
  auto r = analyse_readability(text, "en-GB");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->sentences, 3u);
  ASSERT_EQ(r->over_limit.size(), 1u);
  EXPECT_EQ(r->over_limit[0].index, 2u);
  EXPECT_EQ(r->over_limit[0].words, 30u);
  EXPECT_EQ(r->longest.front().words, 30u);
  ASSERT_EQ(r->guidance.size(), 2u);
  EXPECT_EQ(r->guidance[0].id, "sentence-length");
  EXPECT_EQ(r->guidance[1].id, "reading-age");
  EXPECT_GT(*r->reading_age, 9.5);
}

TEST(Readability, OtherLanguagesGetLixButNoFlesch) {
  // Welsh: 2 sentences, 10 words; long words (> 6 letters): ymgynghoriad, Dywedwch, gwasanaethau.
  auto r = analyse_readability("Mae’r ymgynghoriad ar agor. Dywedwch wrthym am eich gwasanaethau lleol.", "cy");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->english);
  EXPECT_EQ(r->sentences, 2u);
  EXPECT_EQ(r->words, 10u);
  EXPECT_EQ(r->long_words, 3u);
  EXPECT_NEAR(r->lix, 10.0 / 2 + 100.0 * 3 / 10, 0.01);
  EXPECT_FALSE(r->flesch_reading_ease.has_value());
  const auto j = r->to_json();
  EXPECT_TRUE(j["flesch_reading_ease"].is_null());
  EXPECT_EQ(j["lix"].get<double>(), 35.0);
}

TEST(Readability, BadInputIsRejected) {
  auto bad = analyse_readability("ok \xC3\x28", "en-GB", "FILE");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "FILE");
  auto empty = analyse_readability(" ... ", "en-GB");
  ASSERT_FALSE(empty.ok());
  EXPECT_FALSE(analyse_readability("text", "not a tag!").ok());
}
