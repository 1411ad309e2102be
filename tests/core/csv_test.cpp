// The project's one CSV tokenizer (townhall/util/csv.h): RFC 4180 fields in both modes; strict
// mode (Forward Plan imports) refuses stray quotes, lenient mode (panel files typed by hand) keeps
// them. Expected fields are read off the RFC 4180 grammar by hand.
#include <gtest/gtest.h>

#include "townhall/util/csv.h"

namespace townhall::csv {
namespace {

TEST(CsvTokenizer, QuotedFieldsLineEndsAndLineNumbersInBothModes) {
  const std::string text = "\xEF\xBB\xBF" "a,\"b,\"\"c\"\"\"\r\n\"x\ny\",z\n\n,\rlast";
  for (bool lenient : {false, true}) {
    auto r = read_records(text, ReadOptions{lenient});
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->size(), 5u);
    EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"a", "b,\"c\""}));
    EXPECT_EQ((*r)[0].quoted, (std::vector<bool>{false, true}));
    EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"x\ny", "z"}));
    EXPECT_EQ((*r)[1].line, 2);
    EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{""}));  // the blank line is a record
    EXPECT_EQ((*r)[2].line, 4);
    EXPECT_EQ((*r)[3].fields, (std::vector<std::string>{"", ""}));
    EXPECT_EQ((*r)[4].fields, (std::vector<std::string>{"last"}));
    EXPECT_EQ((*r)[4].line, 6);
  }
}

TEST(CsvTokenizer, StrictRefusesStrayQuotesLenientKeepsThem) {
  auto stray = read_records("a,b\n1,5\" tall\n");
  ASSERT_FALSE(stray.ok());
  EXPECT_NE(stray.error().message.find("line 2: a double quote inside an unquoted field"), std::string::npos);
  auto after = read_records("a,b\n\"1\" x,2\n");
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.error().message.find("line 2: text after a closing double quote"), std::string::npos);

  auto kept = read_records("a,b\n1,5\" tall\n", ReadOptions{true});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ((*kept)[1].fields[1], "5\" tall");
  EXPECT_FALSE((*kept)[1].quoted[1]);
  auto spaced = read_records("a,  \"b, c\"  ,d\n", ReadOptions{true});
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ((*spaced)[0].fields, (std::vector<std::string>{"a", "b, c  ", "d"}));
  EXPECT_TRUE((*spaced)[0].quoted[1]);

  for (bool lenient : {false, true}) {
    auto open = read_records("a\n\"never\nclosed\n", ReadOptions{lenient});
    ASSERT_FALSE(open.ok());
    EXPECT_NE(open.error().message.find("line 2: a quoted field is not closed"), std::string::npos) << open.error().message;
  }
}

}  // namespace
}  // namespace townhall::csv
