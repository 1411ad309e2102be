// The field a schema error names (validate_against_schema): a JSON pointer to what is wrong, in the
// document that was checked.
#include <gtest/gtest.h>

#include "townhall/util/json_schema.h"

namespace townhall {
namespace {

Error refusal(const std::string& text, const std::string& schema) {
  auto doc = parse_json(text);
  EXPECT_TRUE(doc.ok()) << text;
  Status st = validate_against_schema(*doc, schema);
  EXPECT_FALSE(st.ok()) << text;
  return st.ok() ? Error{} : st.error();
}

TEST(SchemaErrorPointer, NamesAnUnknownMemberWhateverItsName) {
  Error e = refusal(R"({"title":"Parks","colour":"red"})", "consultation-draft.schema.json");
  EXPECT_EQ(e.field, "/colour");
  EXPECT_EQ(e.message, "unknown field \"colour\"");
  // Quotes inside the name (the message quotes names with the same character).
  e = refusal(R"({"tit'e":"Parks"})", "meeting.schema.json");
  EXPECT_EQ(e.field, "/tit'e");
  EXPECT_EQ(e.message, "unknown field \"tit'e\"");
  e = refusal(R"({"title":"Parks","it's 'quoted'":1})", "consultation-draft.schema.json");
  EXPECT_EQ(e.field, "/it's 'quoted'");
  // Characters a JSON pointer escapes, and the empty name.
  e = refusal(R"({"title":"Parks","a/b~c'":1})", "consultation-draft.schema.json");
  EXPECT_EQ(e.field, "/a~1b~0c'");
  e = refusal(R"({"to":"open","exception":{"reason":"r","approved_by":"J","":1}})", "transition.schema.json");
  EXPECT_EQ(e.field, "/exception/");
  EXPECT_EQ(e.message, "unknown field \"\"");
}

}  // namespace
}  // namespace townhall
