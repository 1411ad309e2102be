// townhall._townhall free-text functions (townhall/analysis/free_text.h); townhall.text wraps them.
#include <string>
#include <string_view>
#include <vector>

#include "arrays.h"
#include "common.h"
#include "townhall/analysis/campaigns.h"
#include "townhall/analysis/free_text.h"

namespace py = pybind11;
using namespace townhall;
using namespace townhall::analysis;
using townhall::python::owned;
using townhall::python::unwrap;

namespace {

// Python str/None items as UTF-8 (None → empty text, which has no words).
struct Texts {
  std::vector<std::string> owned_text;
  std::vector<std::string_view> views;
  explicit Texts(const py::list& items) {
    owned_text.reserve(items.size());
    for (const auto& item : items) owned_text.push_back(item.is_none() ? std::string() : item.cast<std::string>());
    for (const auto& t : owned_text) views.push_back(t);
  }
};

template <typename T, typename F>
Result<T> without_gil(F f) {
  py::gil_scoped_release release;
  return f();
}

py::object sizes(std::vector<int64_t>&& v) { return owned(std::move(v)); }

}  // namespace

namespace townhall::python {

void register_free_text(py::module_& m) {
  m.def("fold_term", &fold_term, py::arg("text"), "NFKC_Casefold of a text (how terms are compared).");
  m.def("stop_words", &stop_words, py::arg("lang"),
        "The built-in stop words for a language (en, cy, ar; [] for others), folded.");

  m.def(
      "_words",
      [](const py::list& items, const std::string& lang) {
        Texts t(items);
        auto r = without_gil<std::vector<WordToken>>([&] { return word_tokens(t.views, lang); });
        auto words = unwrap(std::move(r));
        std::vector<int64_t> row, pos;
        py::list text, term;
        for (const auto& w : words) {
          row.push_back(static_cast<int64_t>(w.row));
          pos.push_back(static_cast<int64_t>(w.position));
          text.append(py::str(t.views[w.row].substr(w.begin, w.end - w.begin)));
          term.append(py::str(w.term));
        }
        py::dict d;
        d["row"] = sizes(std::move(row));
        d["position"] = sizes(std::move(pos));
        d["word"] = text;
        d["term"] = term;
        return d;
      },
      py::arg("texts"), py::arg("lang"));

  m.def(
      "_sentences",
      [](const py::list& items, const std::string& lang) {
        Texts t(items);
        auto r = without_gil<std::vector<SentenceToken>>([&] { return sentence_tokens(t.views, lang); });
        auto sentences = unwrap(std::move(r));
        std::vector<int64_t> row, pos;
        py::list text;
        for (const auto& s : sentences) {
          row.push_back(static_cast<int64_t>(s.row));
          pos.push_back(static_cast<int64_t>(s.position));
          text.append(py::str(t.views[s.row].substr(s.begin, s.end - s.begin)));
        }
        py::dict d;
        d["row"] = sizes(std::move(row));
        d["position"] = sizes(std::move(pos));
        d["sentence"] = text;
        return d;
      },
      py::arg("texts"), py::arg("lang"));

  m.def(
      "_term_frequencies",
      [](const py::list& items, const std::string& lang, bool remove_stop_words,
         std::vector<std::string> extra, size_t min_letters) {
        Texts t(items);
        TermOptions o;
        o.remove_stop_words = remove_stop_words;
        o.extra_stop_words = std::move(extra);
        o.min_letters = min_letters;
        auto r = without_gil<std::vector<TermCount>>([&] { return term_frequencies(t.views, lang, o); });
        auto terms = unwrap(std::move(r));
        py::list term;
        std::vector<int64_t> count, responses;
        for (const auto& c : terms) {
          term.append(py::str(c.term));
          count.push_back(c.count);
          responses.push_back(c.responses);
        }
        py::dict d;
        d["term"] = term;
        d["count"] = sizes(std::move(count));
        d["responses"] = sizes(std::move(responses));
        return d;
      },
      py::arg("texts"), py::arg("lang"), py::arg("remove_stop_words") = false,
      py::arg("extra_stop_words") = std::vector<std::string>{}, py::arg("min_letters") = 1);

  m.def(
      "_keyword_in_context",
      [](const py::list& items, const std::string& keyword, const std::string& lang, size_t context) {
        Texts t(items);
        auto r = without_gil<std::vector<KwicLine>>(
            [&] { return keyword_in_context(t.views, keyword, lang, context); });
        auto lines = unwrap(std::move(r));
        std::vector<int64_t> row, begin;
        py::list left, match, right;
        for (const auto& l : lines) {
          row.push_back(static_cast<int64_t>(l.row));
          begin.push_back(static_cast<int64_t>(l.begin));
          left.append(py::str(l.left));
          match.append(py::str(l.match));
          right.append(py::str(l.right));
        }
        py::dict d;
        d["row"] = sizes(std::move(row));
        d["offset"] = sizes(std::move(begin));
        d["left"] = left;
        d["match"] = match;
        d["right"] = right;
        return d;
      },
      py::arg("texts"), py::arg("keyword"), py::arg("lang"), py::arg("context") = 5);

  m.def(
      "_tag_themes",
      [](const py::list& items, const std::vector<std::pair<std::string, std::vector<std::string>>>& codebook,
         const std::string& lang) {
        Texts t(items);
        std::vector<Theme> themes;
        for (const auto& [name, keywords] : codebook) themes.push_back({name, keywords});
        auto r = without_gil<std::vector<ThemeMatch>>([&] { return tag_themes(t.views, themes, lang); });
        auto matches = unwrap(std::move(r));
        std::vector<int64_t> row, theme, keyword;
        py::list text;
        for (const auto& x : matches) {
          row.push_back(static_cast<int64_t>(x.row));
          theme.push_back(static_cast<int64_t>(x.theme));
          keyword.push_back(static_cast<int64_t>(x.keyword));
          text.append(py::str(t.views[x.row].substr(x.begin, x.end - x.begin)));
        }
        py::dict d;
        d["row"] = sizes(std::move(row));
        d["theme"] = sizes(std::move(theme));
        d["keyword"] = sizes(std::move(keyword));
        d["matched"] = text;
        return d;
      },
      py::arg("texts"), py::arg("codebook"), py::arg("lang"));

  m.def(
      "_campaigns",
      [](const py::list& items, const std::vector<std::string>& langs, int shingle_words,
         double threshold, int bands, int rows, size_t min_size, unsigned threads,
         const std::string& method) {
        CampaignOptions o;
        o.shingle_words = shingle_words;
        o.threshold = threshold;
        o.bands = bands;
        o.rows = rows;
        o.min_size = min_size;
        o.threads = threads;
        if (method == "all-pairs") o.method = CampaignOptions::Method::kAllPairs;
        else if (method != "minhash")
          townhall::python::throw_error(
              invalid_argument("method", "must be 'minhash' or 'all-pairs'"));
        Texts t(items);
        std::vector<std::string_view> lang_views(langs.begin(), langs.end());
        auto r = without_gil<CampaignResult>([&] { return find_campaigns(t.views, lang_views, o); });
        CampaignResult res = unwrap(std::move(r));
        std::vector<int64_t> template_row, size, member_offsets{0}, members;
        std::vector<double> similarity;
        for (const auto& g : res.groups) {
          template_row.push_back(static_cast<int64_t>(g.template_row));
          size.push_back(static_cast<int64_t>(g.members.size()));
          similarity.push_back(g.mean_similarity);
          for (size_t i : g.members) members.push_back(static_cast<int64_t>(i));
          member_offsets.push_back(static_cast<int64_t>(members.size()));
        }
        py::dict d;
        d["template_row"] = sizes(std::move(template_row));
        d["size"] = sizes(std::move(size));
        d["mean_similarity"] = owned(std::move(similarity));
        d["members"] = sizes(std::move(members));
        d["member_offsets"] = sizes(std::move(member_offsets));
        d["group_of"] = sizes(std::move(res.group_of));
        d["distinct_texts"] = res.distinct_texts;
        d["candidate_pairs"] = res.candidate_pairs;
        return d;
      },
      py::arg("texts"), py::arg("langs"), py::arg("shingle_words") = 3, py::arg("threshold") = 0.5,
      py::arg("bands") = 24, py::arg("rows") = 3, py::arg("min_size") = 2, py::arg("threads") = 0,
      py::arg("method") = "minhash");
}

}  // namespace townhall::python
