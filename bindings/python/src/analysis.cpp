// townhall._townhall analysis functions: raking, tallies, cross-tabulations.
// Arrays cross the boundary through the buffer protocol (numpy arrays in, Float64Array out), so
// there is no per-respondent Python object and no dependence on numpy's C ABI.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "arrays.h"
#include "common.h"
#include "townhall/analysis/raking.h"
#include "townhall/analysis/representativeness.h"
#include "townhall/analysis/response_table.h"
#include "townhall/analysis/tally.h"
#include "townhall/util/json_schema.h"

namespace py = pybind11;
using namespace townhall;
using namespace townhall::analysis;
using townhall::python::throw_error;
using townhall::python::unwrap;

namespace {

using townhall::python::owned;

// A 1-d C-contiguous buffer of T, held open for as long as this object lives.
template <typename T>
struct BufferView {
  py::buffer_info info;
  std::span<const T> span;
};

template <typename T>
BufferView<T> view_of(const py::buffer& b, const std::string& field, char kind) {
  BufferView<T> v{b.request(), {}};
  if (v.info.ndim != 1)
    throw_error(invalid_argument(field, "must be a one-dimensional array"));
  const std::string& f = v.info.format;
  char last = f.empty() ? '\0' : f.back();
  bool ok = v.info.itemsize == static_cast<py::ssize_t>(sizeof(T)) &&
            (f.size() == 1 || (f.size() == 2 && (f[0] == '<' || f[0] == '=' || f[0] == '@'))) &&
            (kind == 'i' ? (last == 'i' || last == 'l') : last == 'd');
  if (!ok)
    throw_error(invalid_argument(field, std::string("must be a contiguous array of ") +
                                            (kind == 'i' ? "int32" : "float64") + " (got format '" +
                                            f + "')"));
  if (v.info.shape[0] > 1 && v.info.strides[0] != static_cast<py::ssize_t>(sizeof(T)))
    throw_error(invalid_argument(field, "must be C-contiguous"));
  v.span = std::span<const T>(static_cast<const T*>(v.info.ptr), static_cast<size_t>(v.info.shape[0]));
  return v;
}

// One Python list per field of `items` (a column each), keyed by name: {"count": [...], ...}.
template <typename Item, typename... Fields>
py::dict columns_of(const std::vector<Item>& items, std::pair<const char*, Fields Item::*>... fields) {
  py::dict d;
  auto add = [&](const char* name, auto member) {
    py::list col;
    for (const auto& item : items) col.append(item.*member);
    d[name] = col;
  };
  (add(fields.first, fields.second), ...);
  return d;
}

py::dict cell_lists(const TallyGroup& g) {
  py::dict d = columns_of(g.cells, std::pair{"count", &TallyCell::count}, std::pair{"weighted", &TallyCell::weighted},
                          std::pair{"share", &TallyCell::share}, std::pair{"ci_low", &TallyCell::ci_low},
                          std::pair{"ci_high", &TallyCell::ci_high}, std::pair{"suppressed", &TallyCell::suppressed});
  d["group_count"] = g.count;
  d["group_weighted"] = g.weighted;
  d["effective_n"] = g.effective_n;
  d["total_suppressed"] = g.total_suppressed;
  return d;
}

TallyOptions tally_options(double confidence, const std::string& method, int64_t suppress_below) {
  TallyOptions o;
  o.confidence = confidence;
  o.method = unwrap(parse_interval_method(method, "method"));
  o.suppress_below = suppress_below;
  return o;
}

}  // namespace

namespace townhall::python {

void register_analysis(py::module_& m) {
  register_arrays(m);

  m.def(
      "_response_table",
      [](const std::string& questions_text, const std::string& responses_text) {
        Result<ResponseTable> r = Error{};
        {
          py::gil_scoped_release release;
          r = [&]() -> Result<ResponseTable> {
            auto qs = parse_json(questions_text, "questions");
            if (!qs) return qs.error();
            auto rs = parse_json(responses_text, "responses");
            if (!rs) return rs.error();
            if (!rs->is_array()) return invalid_argument("responses", "must be an array");
            std::vector<ResponseInput> in(rs->size());
            for (size_t i = 0; i < rs->size(); ++i) {
              const auto& o = (*rs)[i];
              if (!o.is_object())
                return invalid_argument("/responses/" + std::to_string(i), "must be an object");
              auto str = [&](const char* k) {
                auto it = o.find(k);
                return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
              };
              auto a = o.find("answers");
              in[i].answers = a != o.end() ? &*a : nullptr;
              in[i].channel = str("channel");
              in[i].language = str("language");
              in[i].submitted_at = o.contains("submitted_at") ? str("submitted_at") : str("created_at");
            }
            return build_response_table(*qs, in);
          }();
        }
        return response_table_to_dict(unwrap(std::move(r)));
      },
      py::arg("questions"), py::arg("responses"),
      "Responses as typed columns (see townhall.responses_frame).");

  m.def(
      "kish_effective_sample_size",
      [](const py::buffer& weights) {
        auto v = view_of<double>(weights, "weights", 'd');
        py::gil_scoped_release release;
        return kish_effective_sample_size(v.span);
      },
      py::arg("weights"), "Kish effective sample size (Σw)² / Σw² of a float64 array.");

  m.def(
      "_rake",
      [](const py::list& margins, size_t n, std::optional<py::buffer> base_weights,
         int max_iterations, double tolerance, double trim_min, double trim_max, double total) {
        // margins: [(name, int32 codes, [targets], [labels]), ...]
        std::vector<BufferView<int32_t>> views;
        std::vector<RakingMargin> ms;
        views.reserve(margins.size());
        for (const auto& item : margins) {
          auto t = item.cast<py::tuple>();
          RakingMargin mg;
          mg.name = t[0].cast<std::string>();
          views.push_back(view_of<int32_t>(t[1].cast<py::buffer>(), mg.name, 'i'));
          mg.codes = views.back().span;
          mg.targets = t[2].cast<std::vector<double>>();
          mg.labels = t[3].cast<std::vector<std::string>>();
          ms.push_back(std::move(mg));
        }
        std::optional<BufferView<double>> bw;
        if (base_weights) bw = view_of<double>(*base_weights, "base_weights", 'd');
        RakingOptions o;
        o.max_iterations = max_iterations;
        o.tolerance = tolerance;
        o.trim_min = trim_min;
        o.trim_max = trim_max;
        o.total = total;
        Result<RakingResult> r = Error{};
        {
          py::gil_scoped_release release;
          r = rake(ms, n, bw ? bw->span : std::span<const double>{}, o);
        }
        RakingResult res = unwrap(std::move(r));
        py::dict d;
        d["weights"] = owned(std::move(res.weights));
        d["iterations"] = res.iterations;
        d["max_margin_error"] = res.max_margin_error;
        d["converged"] = res.converged;
        d["effective_sample_size"] = res.effective_sample_size;
        d["design_effect"] = res.design_effect;
        d["weight_min"] = res.weight_min;
        d["weight_max"] = res.weight_max;
        d["trimmed"] = res.trimmed;
        py::list fits;
        for (const auto& f : res.margins) {
          py::dict fd;
          fd["name"] = f.name;
          fd["target_share"] = f.target_share;
          fd["achieved_share"] = f.achieved_share;
          fd["max_error"] = f.max_error;
          fits.append(fd);
        }
        d["margins"] = fits;
        return d;
      },
      py::arg("margins"), py::arg("n"), py::arg("base_weights") = py::none(),
      py::arg("max_iterations") = 100, py::arg("tolerance") = 1e-6, py::arg("trim_min") = 0.0,
      py::arg("trim_max") = std::numeric_limits<double>::infinity(), py::arg("total") = 0.0,
      "Raking on category codes; use townhall.rake() with DataFrames.");

  m.def(
      "_tally",
      [](const py::buffer& codes, int32_t categories, std::optional<py::buffer> weights,
         double confidence, const std::string& method, int64_t suppress_below) {
        auto cv = view_of<int32_t>(codes, "codes", 'i');
        std::optional<BufferView<double>> wv;
        if (weights) wv = view_of<double>(*weights, "weights", 'd');
        TallyOptions o = tally_options(confidence, method, suppress_below);
        Result<TallyGroup> r = Error{};
        double z = 0;
        {
          py::gil_scoped_release release;
          r = weighted_tally(cv.span, categories, wv ? wv->span : std::span<const double>{}, o, &z);
        }
        py::dict d = cell_lists(unwrap(std::move(r)));
        d["z"] = z;
        return d;
      },
      py::arg("codes"), py::arg("categories"), py::arg("weights") = py::none(),
      py::arg("confidence") = 0.95, py::arg("method") = "wilson", py::arg("suppress_below") = 0);

  m.def(
      "_crosstab",
      [](const py::buffer& group_codes, int32_t groups, const py::buffer& codes, int32_t categories,
         std::optional<py::buffer> weights, double confidence, const std::string& method,
         int64_t suppress_below) {
        auto gv = view_of<int32_t>(group_codes, "by", 'i');
        auto cv = view_of<int32_t>(codes, "codes", 'i');
        std::optional<BufferView<double>> wv;
        if (weights) wv = view_of<double>(*weights, "weights", 'd');
        TallyOptions o = tally_options(confidence, method, suppress_below);
        Result<CrossTab> r = Error{};
        {
          py::gil_scoped_release release;
          r = crosstab(gv.span, groups, cv.span, categories,
                       wv ? wv->span : std::span<const double>{}, o);
        }
        CrossTab ct = unwrap(std::move(r));
        py::list gl;
        for (const auto& g : ct.groups) gl.append(cell_lists(g));
        py::dict d;
        d["groups"] = gl;
        d["totals"] = cell_lists(ct.totals);
        d["z"] = ct.z;
        return d;
      },
      py::arg("by"), py::arg("groups"), py::arg("codes"), py::arg("categories"),
      py::arg("weights") = py::none(), py::arg("confidence") = 0.95, py::arg("method") = "wilson",
      py::arg("suppress_below") = 0);

  m.def(
      "_representativeness",
      [](const py::buffer& codes, const std::vector<double>& targets,
         std::optional<py::buffer> weights, double under_ratio, double min_expected) {
        auto cv = view_of<int32_t>(codes, "codes", 'i');
        std::optional<BufferView<double>> wv;
        if (weights) wv = view_of<double>(*weights, "weights", 'd');
        RepresentativenessOptions o;
        o.under_ratio = under_ratio;
        o.min_expected = min_expected;
        Result<RepresentativenessReport> r = Error{};
        {
          py::gil_scoped_release release;
          r = representativeness(cv.span, targets, wv ? wv->span : std::span<const double>{}, o);
        }
        RepresentativenessReport rep = unwrap(std::move(r));
        py::dict d = columns_of(rep.categories, std::pair{"count", &CategoryFit::count},
                                std::pair{"sample_share", &CategoryFit::sample_share},
                                std::pair{"target_share", &CategoryFit::target_share},
                                std::pair{"expected", &CategoryFit::expected}, std::pair{"ratio", &CategoryFit::ratio},
                                std::pair{"under_represented", &CategoryFit::under_represented});
        d["n"] = rep.n;
        d["dissimilarity"] = rep.dissimilarity;
        d["chi_square"] = rep.chi_square;
        d["degrees_of_freedom"] = rep.degrees_of_freedom;
        d["p_value"] = rep.p_value;
        return d;
      },
      py::arg("codes"), py::arg("targets"), py::arg("weights") = py::none(),
      py::arg("under_ratio") = 0.8, py::arg("min_expected") = 5.0);
  m.def("chi_square_upper_tail", &chi_square_upper_tail, py::arg("x"), py::arg("df"),
        "P(X >= x) for a chi-square variable with df degrees of freedom.");

  m.def("normal_quantile_two_sided", &normal_quantile_two_sided, py::arg("confidence"),
        "z such that a two-sided normal interval has this confidence (0.95 → 1.96).");
}

}  // namespace townhall::python
