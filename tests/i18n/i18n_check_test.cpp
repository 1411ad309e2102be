// townhall-i18n-check on deliberately broken catalogs in a temporary directory: it must fail and
// name the locale, the key and the problem (and pass a correct set).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace {

struct Run {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

class CatalogDir {
 public:
  CatalogDir() {
    std::string tmpl = (fs::temp_directory_path() / "townhall-i18n-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
  }
  ~CatalogDir() { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(fs::path(dir_) / name) << text; }
  Run check(const std::string& flags = "") const {
    const std::string cmd = std::string(TOWNHALL_I18N_CHECK) + " " + flags + " '" + dir_ + "' 2>&1";
    Run r;
    FILE* p = popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }

 private:
  std::string dir_;
};

const char* kEnGb = R"({"meta":{"locale":"en-GB","review":{"status":"reviewed"}},"messages":{
  "days":"{count, plural, one {# day left} other {# days left}}",
  "hello":"Hello {name}",
  "kind":"{kind, select, online {Online} other {On paper}}"}})";

std::string welsh(const std::string& days, const std::string& hello = "Helo {name}",
                  const std::string& kind = "{kind, select, online {Ar-lein} other {Ar bapur}}") {
  return R"({"meta":{"locale":"cy","review":{"status":"machine-draft"}},"messages":{"days":")" + days +
         R"(","hello":")" + hello + R"(","kind":")" + kind + R"("}})";
}

const char* kWelshDays =
    "{count, plural, zero {# diwrnod} one {# diwrnod} two {# ddiwrnod} few {# diwrnod} many {# diwrnod} "
    "other {# diwrnod}}";

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST(I18nCheck, CorrectCatalogsPass) {
  CatalogDir d;
  d.write("en-GB.json", kEnGb);
  d.write("cy.json", welsh(kWelshDays));
  auto r = d.check();
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "2 locales, 6 messages, 0 error(s)")) << r.out;
  EXPECT_TRUE(contains(r.out, "awaiting a council translator's review: cy (machine-draft)")) << r.out;
}

TEST(I18nCheck, WelshPluralWithoutTwoFails) {
  CatalogDir d;
  d.write("en-GB.json", kEnGb);
  d.write("cy.json", welsh("{count, plural, one {# diwrnod} other {# diwrnod}}"));
  auto r = d.check();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "cy: days: plural 'count' lacks category 'two' (e.g. 2)")) << r.out;
  EXPECT_TRUE(contains(r.out, "cy: days: plural 'count' lacks category 'zero' (e.g. 0)")) << r.out;
}

TEST(I18nCheck, CategoryTheLanguageDoesNotHaveFails) {
  CatalogDir d;
  d.write("en-GB.json", R"({"meta":{"locale":"en-GB"},"messages":{
    "days":"{count, plural, one {# day} few {# days} other {# days}}"}})");
  auto r = d.check();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "en-GB: days: plural 'count' uses category 'few', which en-GB does not have")) << r.out;
}

TEST(I18nCheck, MissingOtherFails) {
  CatalogDir d;
  d.write("en-GB.json", kEnGb);
  d.write("cy.json", welsh(kWelshDays, "Helo {name}", "{kind, select, online {Ar-lein} paper {Ar bapur}}"));
  auto r = d.check();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "cy: kind: pattern does not compile: a plural or select has no 'other' case")) << r.out;
}

TEST(I18nCheck, SyntaxErrorFails) {
  CatalogDir d;
  d.write("en-GB.json", kEnGb);
  d.write("cy.json", welsh(kWelshDays, "Helo {name"));
  auto r = d.check();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "cy: hello: pattern does not compile")) << r.out;
}

TEST(I18nCheck, UnknownArgumentAndPositionalArgumentFail) {
  CatalogDir d;
  d.write("en-GB.json", kEnGb);
  d.write("cy.json", welsh(kWelshDays, "Helo {enw}"));
  auto r = d.check();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "cy: hello: uses argument 'enw', which en-GB does not pass")) << r.out;
  d.write("cy.json", welsh(kWelshDays, "Helo {0}"));
  r = d.check();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "cy: hello: argument {0} is positional")) << r.out;
}

TEST(I18nCheck, MissingKeysAreReportedPerLocale) {
  CatalogDir d;
  d.write("en-GB.json", kEnGb);
  d.write("cy.json", R"({"meta":{"locale":"cy"},"messages":{"hello":"Helo {name}"}})");
  d.write("pl.json", R"({"meta":{"locale":"pl"},"messages":{"hello":"Cześć {name}","extra":"x"}})");
  auto r = d.check();
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_TRUE(contains(r.out, "cy: 2 key(s) missing (en-GB is shown instead): days, kind")) << r.out;
  EXPECT_TRUE(contains(r.out, "pl: 2 key(s) missing (en-GB is shown instead): days, kind")) << r.out;
  EXPECT_TRUE(contains(r.out, "pl: extra: key is not in en-GB")) << r.out;
  // --allow-missing turns missing keys into warnings; the stray key is still an error.
  d.write("pl.json", R"({"meta":{"locale":"pl"},"messages":{"hello":"Cześć {name}"}})");
  r = d.check("--allow-missing");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "warning: cy: 2 key(s) missing")) << r.out;
}

TEST(I18nCheck, UnloadableCatalogIsBadInputNamingTheFile) {
  CatalogDir d;
  d.write("en-GB.json", kEnGb);
  d.write("cy.json", R"({"meta":{"locale":"cy"},"messages":{"hello":42}})");
  auto r = d.check();
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.out, "cy.json#/messages/hello: must be a string")) << r.out;
  d.write("cy.json", "{ not json");
  r = d.check();
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.out, "cy.json: is not valid JSON")) << r.out;
  d.write("cy.json", R"({"meta":{"locale":"pl"},"messages":{}})");
  r = d.check();
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(contains(r.out, "cy.json#/meta/locale")) << r.out;
}
