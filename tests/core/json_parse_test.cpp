// parse_json(), the reader of JSON from outside: the same documents as nlohmann's own parser for
// everything it accepts, and a clear refusal — naming the place — of what would harm a later
// reader: nesting past kMaxJsonDepth, a byte-order mark, a NUL byte, a number past a double's
// range, control characters in text. parse_stored_json() reads stored JSON with the depth limit
// only.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>

#include "townhall/util/json_parse.h"

namespace townhall {
namespace {

std::string nested_arrays(size_t depth, const std::string& inner = "") {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}

TEST(ParseJson, AcceptsNestingUpToTheLimitAndRefusesOneLevelMore) {
  auto ok = parse_json(nested_arrays(kMaxJsonDepth, "1"), "the body");
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(ok->dump(), nested_arrays(kMaxJsonDepth, "1"));

  auto deep = parse_json(nested_arrays(kMaxJsonDepth + 1), "the body");
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().code, ErrorCode::kInvalidJson);
  EXPECT_NE(deep.error().message.find("more than 64 levels deep"), std::string::npos) << deep.error().message;
  EXPECT_EQ(deep.error().message.rfind("the body", 0), 0u);
  // Where the 65th level opens: index 0 of each of the 64 arrays around it.
  std::string where;
  for (size_t i = 0; i < kMaxJsonDepth; ++i) where += "/0";
  EXPECT_EQ(deep.error().field, where);

  // Objects count as levels too, and the pointer names their members.
  std::string objects;
  for (size_t i = 0; i <= kMaxJsonDepth; ++i) objects += "{\"a/b\":";
  objects += "1" + std::string(kMaxJsonDepth + 1, '}');
  auto deep_objects = parse_json(objects);
  ASSERT_FALSE(deep_objects);
  EXPECT_EQ(deep_objects.error().field.substr(0, 8), "/a~1b/a~");
}

// The attack: 50,000 nested arrays in a 100 KB body. nlohmann reads it (its parser is iterative)
// and later recursion over it — dump(), copies, validation — overflows the stack.
TEST(ParseJson, RefusesTheHundredKilobyteStackBomb) {
  std::string body = R"({"name":"x","consent":true,"facts":{"ward":)" + nested_arrays(50000) + "}}";
  auto r = parse_json(body, "the request body");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson);
  EXPECT_EQ(r.error().field.substr(0, 14), "/facts/ward/0/");
}

TEST(ParseJson, RefusesAByteOrderMarkAndNulBytes) {
  auto bom = parse_json("\xEF\xBB\xBF{\"a\":1}", "the request body");
  ASSERT_FALSE(bom);
  EXPECT_EQ(bom.error().code, ErrorCode::kInvalidJson);
  EXPECT_NE(bom.error().message.find("byte-order mark"), std::string::npos);

  // nlohmann stops reading at a NUL byte and accepts what came before it.
  ASSERT_TRUE(nlohmann::json::accept(std::string("{\"a\":1}\0{\"b\":2}", 15)));
  for (const std::string& text : {std::string("{\"a\":1}\0", 8), std::string("{\"a\":1}\0{\"b\":2}", 15),
                                  std::string("{\"a\":\0 1}", 9)}) {
    auto r = parse_json(text, "the request body");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson);
    EXPECT_NE(r.error().message.find("NUL byte (byte offset " + std::to_string(text.find('\0')) + ")"),
              std::string::npos)
        << r.error().message;
  }
}

TEST(ParseJson, NamesANumberPastTheRangeOfADouble) {
  for (const std::string& n : {std::string("1e400"), std::string("-1e400"), "1" + std::string(400, '0') + ".5"}) {
    auto r = parse_json(R"({"answers":{"q":[1,)" + n + "]}}", "the request body");
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().field, "/answers/q/1");
    EXPECT_NE(r.error().message.find("too large"), std::string::npos) << r.error().message;
  }
  auto root = parse_json("1e400");
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().field, "/");  // the document itself, as the schema validator names it
  EXPECT_NE(root.error().message.find("1e400"), std::string::npos);
  // Tiny numbers round to zero, as they always have; large ones within range are kept.
  EXPECT_EQ(parse_json("1e-400")->get<double>(), 0.0);
  EXPECT_EQ(parse_json("1e300")->get<double>(), 1e300);
}

TEST(ParseJson, RefusesControlCharactersInTextButKeepsTabsAndLineBreaks) {
  auto nul = parse_json(R"({"name":"a\u0000bbbbbbbbbbbbbbbb"})", "the request body");
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(nul.error().field, "/name");
  EXPECT_NE(nul.error().message.find("U+0000"), std::string::npos) << nul.error().message;

  for (const char* escape : {"\\u0001", "\\b", "\\f", "\\u001f", "\\u001B"}) {
    auto r = parse_json(std::string(R"({"list":["ok","x)") + escape + "\"]}");
    ASSERT_FALSE(r) << escape;
    EXPECT_EQ(r.error().field, "/list/1") << escape;
  }
  auto key = parse_json(R"({"a":{"b\u0000":1}})");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().field, "/a");
  EXPECT_NE(key.error().message.find("member name"), std::string::npos);
  auto top = parse_json(R"({"b\u0001":1})");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().field, "/");  // the document itself

  auto fine = parse_json(R"({"text":"line one\nline two\r\n\tindented \u007f caf\u00e9"})");
  ASSERT_TRUE(fine) << fine.error().describe();
  EXPECT_EQ((*fine)["text"], "line one\nline two\r\n\tindented \x7f caf\xc3\xa9");
}

TEST(ParseJson, ReportsSyntaxErrorsAsBefore) {
  auto r = parse_json(R"({"a":1,})", "the policy file");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson);
  EXPECT_EQ(r.error().message.rfind("the policy file is not valid JSON: parse error at line 1", 0), 0u)
      << r.error().message;
  EXPECT_FALSE(parse_json(""));
  EXPECT_FALSE(parse_json("{} {}"));
  EXPECT_FALSE(parse_json("\"\xC3\x28\""));  // invalid UTF-8
}

// Whatever parse_json accepts, it reads exactly as nlohmann::json::parse does (including a
// repeated member name keeping its last value), over a seeded corpus of documents.
TEST(ParseJson, BuildsTheSameDocumentsAsNlohmann) {
  std::mt19937_64 rng(20261207);
  const std::vector<std::string> scalars = {"0", "-1", "18446744073709551615", "-9223372036854775808", "1.5",
                                            "2e10", "true", "false", "null", "\"\"", "\"caf\\u00e9\"",
                                            "\"\\ud83d\\ude00\"", "\"tab\\t\"", "\"\\\"quoted\\\"\""};
  std::function<std::string(int)> value = [&](int depth) -> std::string {
    int kind = depth > 6 ? 0 : static_cast<int>(rng() % 3);
    if (kind == 0) return scalars[rng() % scalars.size()];
    size_t n = rng() % 4;
    std::string out = kind == 1 ? "[" : "{";
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ",";
      if (kind == 2) out += "\"" + std::string(1, static_cast<char>('a' + rng() % 3)) + "\":";
      out += value(depth + 1);
    }
    return out + (kind == 1 ? "]" : "}");
  };
  for (int i = 0; i < 3000; ++i) {
    std::string text = value(0);
    auto ours = parse_json(text);
    ASSERT_TRUE(ours) << text << ": " << ours.error().describe();
    EXPECT_EQ(*ours, nlohmann::json::parse(text)) << text;
    EXPECT_EQ(ours->dump(), nlohmann::json::parse(text).dump()) << text;
    EXPECT_EQ(parse_stored_json(text), *ours) << text;
  }
}

TEST(ParseStoredJson, AppliesOnlyTheDepthLimit) {
  // Text Townhall stored before control characters were refused still reads.
  EXPECT_EQ(parse_stored_json(R"({"a":"x\u0001"})")["a"], "x\x01");
  EXPECT_EQ(parse_stored_json(nested_arrays(kMaxJsonDepth)).dump(), nested_arrays(kMaxJsonDepth));
  try {
    (void)parse_stored_json(nested_arrays(45000), "fact \"ward\"");
    FAIL() << "a 45,000-level document was read";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("fact \"ward\" nests arrays and objects more than 64 levels deep"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW((void)parse_stored_json("{"), std::runtime_error);
}

TEST(ForbiddenControl, FindsC0ControlsOtherThanTabAndLineBreaks) {
  EXPECT_EQ(find_forbidden_control("plain\ttext\r\n"), std::string_view::npos);
  EXPECT_EQ(find_forbidden_control(std::string("ab\0c", 4)), 2u);
  EXPECT_EQ(find_forbidden_control("x\x1b[31m"), 1u);
  EXPECT_EQ(find_forbidden_control("\x7f\xc2\x85"), std::string_view::npos);  // DEL and C1 are left alone
  EXPECT_EQ(describe_control("a\x1f", 1), "the control character U+001F");
}

}  // namespace
}  // namespace townhall

namespace townhall {
namespace {

// valijson checks "pattern" with std::regex, whose libstdc++ matcher recurses once per repetition
// of a group or class: "(-[A-Za-z0-9]{2,8})*" against a 100 KB string overflowed the stack. Every
// pattern in every schema must bound its repetitions (and then runs in a few frames whatever the
// length of the text).
bool repeats_without_bound(std::string_view pattern) {
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
      continue;
    }
    if (c == '[') in_class = true;
    if (c == '*' || c == '+') return true;
    if (c == '{') {
      size_t close = pattern.find('}', i);
      std::string_view range = pattern.substr(i + 1, close - i - 1);
      if (!range.empty() && range.back() == ',') return true;  // {n,}
    }
  }
  return false;
}

void collect_patterns(const nlohmann::json& j, const std::string& where, std::vector<std::pair<std::string, std::string>>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "pattern" && it->is_string()) out.emplace_back(where, it->get<std::string>());
      if (it.key() == "patternProperties" && it->is_object()) {
        for (auto p = it->begin(); p != it->end(); ++p) out.emplace_back(where + "/patternProperties", p.key());
      }
      collect_patterns(*it, where + "/" + it.key(), out);
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) collect_patterns(j[i], where + "/" + std::to_string(i), out);
  }
}

TEST(SchemaPatterns, BoundEveryRepetitionSoStdRegexCannotRecurseWithTheInput) {
  EXPECT_TRUE(repeats_without_bound("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"));
  EXPECT_TRUE(repeats_without_bound("^a+$"));
  EXPECT_TRUE(repeats_without_bound("^a{2,}$"));
  EXPECT_FALSE(repeats_without_bound("^[*+]{1,64}\\+$"));
  std::vector<std::pair<std::string, std::string>> patterns;
  // The schemas the server validates bodies with. (openapi.json bundles copies of them; the
  // patterns it adds on parameters and forms are for clients and testers, not for valijson.)
  for (const auto& entry : std::filesystem::directory_iterator(std::string(TOWNHALL_SOURCE_DIR) + "/schemas")) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 12 || name.compare(name.size() - 12, 12, ".schema.json") != 0) continue;
    std::ifstream in(entry.path());
    collect_patterns(nlohmann::json::parse(in), entry.path().filename().string(), patterns);
  }
  ASSERT_GT(patterns.size(), 10u);
  for (const auto& [where, pattern] : patterns) {
    EXPECT_FALSE(repeats_without_bound(pattern)) << where << ": " << pattern;
  }
}

}  // namespace
}  // namespace townhall
