// XLIFF 2.0 translation files (consultations/xliff.h) as translators send them back.
// Input: the file's text, read as a translation into Welsh of a fixed English consultation.
// Properties: no crash, leak or exception; a refusal is an invalid-argument error; an accepted file
// is a translation prepare_translation() takes or refuses with a JSON pointer, and written back as
// XLIFF it reads back to the same translation.
#include "fuzz_support.h"
#include "townhall/consultations/translation.h"
#include "townhall/consultations/xliff.h"

namespace {

using townhall::fuzz::fail;

const nlohmann::json& english() {
  static const nlohmann::json doc = {
      {"id", "c-7"},
      {"title", "Library opening hours"},
      {"summary", "We want to change when libraries open."},
      {"options_considered", {{{"option", "Keep the hours"}, {"rejected", true}, {"reason", "Fewer visits."}}}},
      {"documents", {{{"title", "Report"}, {"url", "https://example.gov.uk/r.pdf"}}}},
      {"questions", {{{"id", "q1"}, {"type", "single_choice"}, {"text", "Do you agree?"}, {"options", {"Yes", "No"}}}}}};
  return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace townhall;
  std::string_view text = fuzz::as_text(data, size);
  auto t = read_translation_xliff(text, english(), "cy");
  if (!t) {
    if (t.error().code != ErrorCode::kInvalidArgument) fail("a refused XLIFF file is not an invalid-argument error", t.error().describe());
    return 0;
  }
  auto prepared = prepare_translation(*t, english());
  if (!prepared) {
    if (prepared.error().field.empty() || prepared.error().field.front() != '/') {
      fail("a translation read from XLIFF is refused without a JSON pointer", prepared.error().describe());
    }
    return 0;
  }
  const std::string written = write_translation_xliff(english(), *prepared, "en-GB", "cy");
  auto again = read_translation_xliff(written, english(), "cy");
  if (!again) fail("a translation written as XLIFF does not read back", again.error().describe());
  auto again_prepared = prepare_translation(*again, english());
  if (!again_prepared || *again_prepared != *prepared) fail("a translation written as XLIFF reads back differently", written);
  return 0;
}
