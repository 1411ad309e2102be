// `townhall i18n languages` and `townhall i18n negotiate`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace townhall::testing {
namespace {

TEST(I18nCli, LanguagesListsCatalogsWithDirectionAndReviewStatus) {
  auto r = run_cli("i18n languages --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_GE(j.size(), 10u);
  EXPECT_EQ(j[0]["tag"], "en-GB");
  EXPECT_EQ(j[0]["review_status"], "reviewed");
  bool saw_ar = false, saw_cy = false;
  for (const auto& l : j) {
    if (l["tag"] == "ar") {
      saw_ar = true;
      EXPECT_EQ(l["dir"], "rtl");
      EXPECT_EQ(l["endonym"], "العربية");
      EXPECT_EQ(l["english_name"], "Arabic");
      EXPECT_TRUE(l["needs_review"].get<bool>());
    }
    if (l["tag"] == "cy") {
      saw_cy = true;
      EXPECT_EQ(l["dir"], "ltr");
      EXPECT_EQ(l["endonym"], "Cymraeg");
      EXPECT_EQ(l["messages"], j[0]["messages"]);  // complete
    }
  }
  EXPECT_TRUE(saw_ar && saw_cy);
  auto text = run_cli("i18n languages");
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Cymraeg"), std::string::npos);
}

TEST(I18nCli, NegotiatePicksFromTheCatalogs) {
  auto r = run_cli("i18n negotiate 'cy-GB,cy;q=0.9,en;q=0.5' --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["tag"], "cy");
  EXPECT_EQ(j["dir"], "ltr");
  EXPECT_EQ(run_cli("i18n negotiate 'ar-SA,ar;q=0.9'").out, "ar\n");
  EXPECT_EQ(run_cli("i18n negotiate 'ja-JP'").out, "en-GB\n");
  EXPECT_EQ(run_cli("i18n negotiate").exit_code, 2);
}

}  // namespace
}  // namespace townhall::testing
