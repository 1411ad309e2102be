// XLIFF 2.0 translation files (consultations/xliff.h). The files read here are written by hand
// from the OASIS XLIFF Version 2.0 specification (the <xliff> root in its namespace with version,
// srcLang and trgLang; <file>, <group>, <unit>, <segment>, <ignorable>, <source>, <target> and
// <cp hex>), not from what write_translation_xliff produces.
#include <gtest/gtest.h>

#include <string>

#include "townhall/consultations/translation.h"
#include "townhall/consultations/xliff.h"

namespace townhall {
namespace {

nlohmann::json english() {
  return {{"id", "c-7"},
          {"title", "Library opening hours"},
          {"summary", "We want to change when libraries open."},
          {"options_considered", {{{"option", "Keep the hours"}, {"rejected", true}, {"reason", "Fewer visits."}}}},
          {"questions", {{{"id", "q1"}, {"type", "single_choice"}, {"text", "Do you agree?"}, {"options", {"Yes", "No"}}}}}};
}

std::string xliff(const std::string& units, const std::string& trg = "cy", const std::string& src = "en-GB") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"" + src + "\" trgLang=\"" + trg + "\">\n"
         " <file id=\"f1\">\n" + units + " </file>\n</xliff>\n";
}

TEST(Xliff, ReadsASpecShapedFileIntoATranslation) {
  const std::string file = xliff(
      "  <unit id=\"u1\" name=\"/title\"><segment><source>Library opening hours</source>"
      "<target>Oriau agor llyfrgelloedd</target></segment></unit>\n"
      "  <group id=\"g1\">\n"
      "   <unit id=\"u2\" name=\"/questions/q1/options/1\"><segment><source>No</source><target>Na</target></segment></unit>\n"
      "   <unit id=\"u3\" name=\"/options_considered/0/reason\"><segment><source>Fewer</source><target>Llai</target></segment>"
      "<ignorable><source> </source><target> </target></ignorable>"
      "<segment><source>visits.</source><target>o ymweliadau.</target></segment></unit>\n"
      "  </group>\n"
      "  <unit id=\"u4\" name=\"/summary\"><segment><source>We want</source></segment></unit>\n"
      "  <unit id=\"u5\" name=\"/questions/q1/text\"><segment><source>Do you agree?</source>"
      "<target>A &amp; B?</target></segment></unit>\n");
  auto t = read_translation_xliff(file, english(), "cy");
  ASSERT_TRUE(t.ok()) << t.error().describe();
  EXPECT_EQ((*t)["title"], "Oriau agor llyfrgelloedd");
  EXPECT_EQ((*t)["questions"]["q1"]["options"], nlohmann::json({"", "Na"}));  // the first keeps its place
  EXPECT_EQ((*t)["questions"]["q1"]["text"], "A & B?");
  EXPECT_EQ((*t)["options_considered"][0]["reason"], "Llai o ymweliadau.");
  EXPECT_FALSE(t->contains("summary"));  // no target: not translated
  // It is a translation prepare_translation() takes; what it still misses is what the file left out.
  auto prepared = prepare_translation(*t, english());
  ASSERT_TRUE(prepared.ok()) << prepared.error().describe();
  EXPECT_EQ(missing_translation_fields(english(), *prepared),
            (std::vector<std::string>{"/summary", "/options_considered/0/option", "/questions/q1/options/0"}));
}

TEST(Xliff, ACodePointElementIsReadAndTheTranslationRulesStillApply) {
  // <cp hex> carries a character XML 1.0 cannot; a control character is then refused, by pointer,
  // as in any translation.
  auto t = read_translation_xliff(xliff("<unit id=\"u1\" name=\"/title\"><segment><source>x</source>"
                                        "<target>A<cp hex=\"0007\"/>B<cp hex=\"1F600\"/></target></segment></unit>"),
                                  english(), "cy");
  ASSERT_TRUE(t.ok()) << t.error().describe();
  EXPECT_EQ((*t)["title"], "A\x07" "B\xF0\x9F\x98\x80");
  auto prepared = prepare_translation(*t, english());
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.error().field, "/title");
  for (const char* bad : {"D800", "110000", "0", "zz", ""}) {
    auto r = read_translation_xliff(xliff(std::string("<unit id=\"u1\" name=\"/title\"><segment><source>x</source><target><cp hex=\"") +
                                          bad + "\"/></target></segment></unit>"),
                                    english(), "cy");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().field, "/title") << bad;
  }
}

TEST(Xliff, EveryBadUnitIsNamedAndNothingIsRead) {
  const std::string file = xliff(
      "  <unit id=\"u1\" name=\"/title\"><segment><source>x</source><target>Teitl</target></segment></unit>\n"
      "  <unit id=\"u2\" name=\"/questions/q9/text\"><segment><source>x</source><target>Beth?</target></segment></unit>\n"
      "  <unit id=\"u3\" name=\"/title\"><segment><source>x</source><target>Eto</target></segment></unit>\n"
      "  <unit id=\"u4\" name=\"/summary\"><segment><source>x</source><target>a <pc id=\"1\">b</pc></target></segment></unit>\n"
      "  <unit id=\"u5\"><segment><source>x</source><target>y</target></segment></unit>\n");
  auto t = read_translation_xliff(file, english(), "cy");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().field, "/questions/q9/text");
  const std::string& m = t.error().message;
  EXPECT_NE(m.find("4 units are wrong"), std::string::npos) << m;
  EXPECT_NE(m.find("/questions/q9/text: no such field"), std::string::npos) << m;
  EXPECT_NE(m.find("/title: given twice"), std::string::npos) << m;
  EXPECT_NE(m.find("/summary: its target holds markup (pc)"), std::string::npos) << m;
  EXPECT_NE(m.find("unit \"u5\": it has no name"), std::string::npos) << m;
}

TEST(Xliff, TheFileMustBeXliff2IntoTheRightLanguage) {
  const std::string unit = "<unit id=\"u1\" name=\"/title\"><segment><source>x</source><target>y</target></segment></unit>";
  EXPECT_FALSE(read_translation_xliff(xliff(unit, "pl"), english(), "cy").ok());
  EXPECT_TRUE(read_translation_xliff(xliff(unit, "CY"), english(), "cy").ok());
  EXPECT_FALSE(read_translation_xliff(xliff(unit, "cy", "fr"), english(), "cy").ok());
  // XLIFF 1.2 (another namespace and version).
  EXPECT_FALSE(read_translation_xliff("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" version=\"1.2\">"
                                      "<file source-language=\"en\" target-language=\"cy\"/></xliff>",
                                      english(), "cy").ok());
  auto broken = read_translation_xliff("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\"><file>",
                                       english(), "cy");
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.error().message.find("not well-formed XML"), std::string::npos);
}

TEST(Xliff, EntitiesAndDocumentTypesAreRefusedAndDepthAndSizeAreBounded) {
  // XXE: an external entity naming a local file; and the "billion laughs".
  const std::string xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE xliff [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n" +
                          xliff("<unit id=\"u1\" name=\"/title\"><segment><source>x</source><target>&x;</target></segment></unit>")
                              .substr(39);
  auto t = read_translation_xliff(xxe, english(), "cy");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("DOCTYPE"), std::string::npos);
  std::string laughs = "<!DOCTYPE l [<!ENTITY a \"ha\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><l>&b;</l>";
  EXPECT_FALSE(read_translation_xliff(laughs, english(), "cy").ok());
  // An undeclared entity is not well-formed, and is not looked up anywhere.
  EXPECT_FALSE(read_translation_xliff(xliff("<unit id=\"u1\" name=\"/title\"><segment><source>x</source><target>&x;</target>"
                                            "</segment></unit>"), english(), "cy").ok());
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<group id=\"g" + std::to_string(i) + "\">";
  for (int i = 0; i < 40; ++i) deep += "</group>";
  auto d = read_translation_xliff(xliff(deep), english(), "cy");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("nest deeper"), std::string::npos);
  std::string big(kMaxXliffBytes + 1, ' ');
  EXPECT_FALSE(read_translation_xliff(big, english(), "cy").ok());
}

TEST(Xliff, WritingThenReadingGivesTheTranslationBack) {
  nlohmann::json welsh = {{"title", "Oriau <agor> & \"llyfrgelloedd\""},
                          {"summary", "Llinell un\nLlinell dau\x01"},
                          {"questions", {{"q1", {{"text", "Ydych chi'n cytuno?"}, {"options", {"Ydw", "Nac ydw"}}}}}}};
  const std::string file = write_translation_xliff(english(), welsh, "en-GB", "cy");
  // The spec's shape: the root in the XLIFF 2.0 namespace, languages on it, units named by pointer.
  EXPECT_NE(file.find("<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" version=\"2.0\" srcLang=\"en-GB\" trgLang=\"cy\">"),
            std::string::npos);
  EXPECT_NE(file.find("<unit id=\"u1\" name=\"/title\">"), std::string::npos);
  EXPECT_NE(file.find("<cp hex=\"0001\"/>"), std::string::npos);
  auto back = read_translation_xliff(file, english(), "cy");
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ((*back)["title"], welsh["title"]);
  EXPECT_EQ((*back)["summary"], welsh["summary"]);
  EXPECT_EQ((*back)["questions"]["q1"], welsh["questions"]["q1"]);
  EXPECT_FALSE(back->contains("proposal"));
}

TEST(Xliff, AQuestionsHintIsItsOwnUnitAndComesBack) {
  auto source = english();
  source["questions"][0]["hint"] = "Think about the last month.";
  nlohmann::json welsh = {{"questions", {{"q1", {{"text", "Ydych chi'n cytuno?"}, {"hint", "Meddyliwch am y mis diwethaf."}}}}}};
  const std::string file = write_translation_xliff(source, welsh, "en-GB", "cy");
  // The hint is a unit of its own, named by its pointer, with the English as its source, after the text.
  const size_t text = file.find("name=\"/questions/q1/text\"");
  const size_t hint = file.find("name=\"/questions/q1/hint\"");
  ASSERT_NE(hint, std::string::npos) << file;
  EXPECT_LT(text, hint);
  EXPECT_NE(file.find("<source>Think about the last month.</source>\n    <target>Meddyliwch am y mis diwethaf.</target>", hint),
            std::string::npos)
      << file;
  auto back = read_translation_xliff(file, source, "cy");
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ((*back)["questions"]["q1"]["hint"], "Meddyliwch am y mis diwethaf.");
  EXPECT_EQ((*back)["questions"]["q1"]["text"], "Ydych chi'n cytuno?");
  // A hand-written file translating only the hint; and a hint unit for a question without one is refused.
  auto only = read_translation_xliff(xliff("<unit id=\"h\" name=\"/questions/q1/hint\"><segment><source>Think</source>"
                                           "<target>Meddyliwch</target></segment></unit>"),
                                     source, "cy");
  ASSERT_TRUE(only.ok()) << only.error().describe();
  EXPECT_EQ((*only)["questions"]["q1"]["hint"], "Meddyliwch");
  auto refused = read_translation_xliff(xliff("<unit id=\"h\" name=\"/questions/q1/hint\"><segment><source>Think</source>"
                                              "<target>Meddyliwch</target></segment></unit>"),
                                        english(), "cy");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().field, "/questions/q1/hint");
}

}  // namespace
}  // namespace townhall
