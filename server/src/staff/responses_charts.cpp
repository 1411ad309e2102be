// The console's charts of a consultation's responses: counts by question (each option), by channel
// and by language, and how the respondents with panel facts compare with the census. Each chart is
// server-drawn SVG (role="img" with a title and description, every bar labelled with its words and
// number, so nothing is told by colour alone) beside a table with the same numbers. The counts and
// the comparison are the core's (analysis/response_counts.h, panel/respondents.h).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "staff/responses_pages.h"
#include "townhall/analysis/response_counts.h"
#include "townhall/panel/respondents.h"

namespace townhall::server::staff {
namespace {

// The borough whose census the respondents are compared with when none is asked for.
constexpr const char* kChartsBorough = "E09000020";
constexpr const char* kChartsCensusVariables = "ward,ethnicity,tenure";

std::string chart_number(double v, int places) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

std::string chart_percent(double share) { return chart_number(share * 100, 1) + "%"; }

struct Bar {
  std::string label;
  double value = 0;       // what the bar's length shows
  std::string shown;      // the value as written beside the bar
  bool second = false;    // the second series of a pair (drawn hollow, and named in its label)
};

// A horizontal bar chart: one row per bar, its label on the left, the bar, its value in words.
std::string bar_chart_svg(const std::string& key, const std::string& title, const std::string& desc,
                          const std::vector<Bar>& bars) {
  constexpr int kLabelWidth = 300, kBarWidth = 320, kValueWidth = 120, kRow = 28, kTop = 8;
  double max = 0;
  for (const auto& b : bars) max = std::max(max, b.value);
  const int height = kTop * 2 + kRow * static_cast<int>(std::max<size_t>(bars.size(), 1));
  const int width = kLabelWidth + kBarWidth + kValueWidth;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"townhall-chart\" role=\"img\" width=\"" +
                    std::to_string(width) + "\" height=\"" + std::to_string(height) + "\" viewBox=\"0 0 " +
                    std::to_string(width) + " " + std::to_string(height) + "\" aria-labelledby=\"" + key + "-title " +
                    key + "-desc\">";
  svg += "<title id=\"" + key + "-title\">" + pages::escape_html(title) + "</title>";
  svg += "<desc id=\"" + key + "-desc\">" + pages::escape_html(desc) + "</desc>";
  for (size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const int y = kTop + kRow * static_cast<int>(i);
    const int len = max > 0 ? static_cast<int>(std::lround(b.value / max * (kBarWidth - 10))) : 0;
    std::string label = b.label.size() > 44 ? b.label.substr(0, 41) + "..." : b.label;
    svg += "<text x=\"" + std::to_string(kLabelWidth - 8) + "\" y=\"" + std::to_string(y + 18) +
           "\" text-anchor=\"end\" font-size=\"14\" fill=\"#0b0c0c\">" + pages::escape_html(label) + "</text>";
    if (b.second) {
      svg += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 5) + "\" width=\"" +
             std::to_string(std::max(len, 1)) + "\" height=\"16\" fill=\"#ffffff\" stroke=\"#0b0c0c\" stroke-width=\"2\"/>";
    } else {
      svg += "<rect x=\"" + std::to_string(kLabelWidth) + "\" y=\"" + std::to_string(y + 4) + "\" width=\"" +
             std::to_string(len) + "\" height=\"18\" fill=\"#1d70b8\"/>";
    }
    svg += "<text x=\"" + std::to_string(kLabelWidth + len + 6) + "\" y=\"" + std::to_string(y + 18) +
           "\" font-size=\"14\" fill=\"#0b0c0c\">" + pages::escape_html(b.shown) + "</text>";
  }
  svg += "</svg>";
  return svg;
}

// A chart of counts with its table: {key, title, svg, rows: [{label, count, share}]}.
nlohmann::json count_chart(const std::string& key, const std::string& title, const std::vector<analysis::OptionCount>& counts,
                           int64_t of, const std::string& of_words) {
  std::vector<Bar> bars;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& c : counts) {
    const double share = of > 0 ? static_cast<double>(c.count) / static_cast<double>(of) : 0;
    bars.push_back({c.label, static_cast<double>(c.count), std::to_string(c.count) + " (" + chart_percent(share) + ")", false});
    rows.push_back({{"label", c.label}, {"count", c.count}, {"share", chart_percent(share)}});
  }
  std::string desc = "Bar chart of " + std::to_string(of) + " " + of_words + ": ";
  for (size_t i = 0; i < counts.size(); ++i) {
    desc += (i ? "; " : "") + counts[i].label + " " + std::to_string(counts[i].count);
  }
  return {{"key", key}, {"title", title}, {"svg", bar_chart_svg(key, title, desc, bars)}, {"rows", rows},
          {"of", of}, {"of_words", of_words}, {"none", counts.empty()}};
}

nlohmann::json representativeness_data(const panel::RespondentsReport& r) {
  nlohmann::json categories = nlohmann::json::array();
  for (size_t k = 0; k < r.fit.categories.size(); ++k) {
    const auto& c = r.fit.categories[k];
    std::vector<Bar> bars;
    nlohmann::json rows = nlohmann::json::array();
    std::string desc = "Share of the " + std::to_string(c.n) + " respondents with a " + c.category +
                       " fact, and the census share, for each " + c.category + ": ";
    for (size_t i = 0; i < c.values.size(); ++i) {
      const auto& v = c.values[i];
      bars.push_back({v.value + ": respondents", v.pool_share, chart_percent(v.pool_share), false});
      bars.push_back({v.value + ": census", v.target_share, chart_percent(v.target_share), true});
      desc += (i ? "; " : "") + v.value + " respondents " + chart_percent(v.pool_share) + ", census " + chart_percent(v.target_share);
      rows.push_back({{"value", v.value},
                      {"count", v.count},
                      {"share", chart_percent(v.pool_share)},
                      {"census", chart_percent(v.target_share)},
                      {"ratio", c.fitted && std::isfinite(v.ratio) ? chart_number(v.ratio, 2) : "–"},
                      {"flagged", v.flagged}});
    }
    const std::string key = "fit-" + std::to_string(k);
    const std::string title = "Respondents against the census: " + c.category;
    categories.push_back({{"key", key},
                          {"title", title},
                          {"category", c.category},
                          {"source", c.source},
                          {"n", c.n},
                          {"missing", c.missing},
                          {"fitted", c.fitted},
                          {"dissimilarity", chart_percent(c.dissimilarity)},
                          {"p_value", chart_number(c.p_value, 3)},
                          {"svg", c.fitted ? bar_chart_svg(key, title, desc, bars) : std::string()},
                          {"rows", rows}});
  }
  return categories;
}

}  // namespace

// GET /staff/consultations/{id}/charts
Result<HttpResponse> get_response_charts(Api::Impl& api, StaffContext& sc) {
  const std::string id = sc.ctx.params["id"];
  auto rec = api.store.get_consultation(id);
  if (!rec) return rec.error();
  auto questions = questions_of(api, id);
  if (!questions) return questions.error();
  auto counts = analysis::count_answers(api.store, id, *questions);
  if (!counts) return counts.error();
  nlohmann::json by_question = nlohmann::json::array();
  for (size_t i = 0; i < counts->questions.size(); ++i) {
    const auto& q = counts->questions[i];
    nlohmann::json chart = q.options.empty() ? nlohmann::json{{"none", true}}
                                             : count_chart("q" + std::to_string(i), q.text, q.options, q.answered,
                                                           q.type == "multiple_choice" ? "people who answered (each could choose several)"
                                                           : q.type == "ranking"       ? "people who ranked (counting first choices)"
                                                                                       : "people who answered");
    chart["question"] = q.text;
    chart["number"] = i + 1;
    chart["answered"] = q.answered;
    chart["free_text"] = q.type == "free_text";
    by_question.push_back(chart);
  }
  std::vector<analysis::OptionCount> channels;
  for (const auto& c : counts->channels) channels.push_back({channel_label(c.label), c.count});
  nlohmann::json data = {{"id", id},
                         {"title", rec->document.value("title", id)},
                         {"responses", counts->responses},
                         {"questions", by_question},
                         {"channels", count_chart("channels", "Responses by channel", channels, counts->responses, "responses")},
                         {"languages", count_chart("languages", "Responses by language", counts->languages,
                                                   counts->responses, "responses")}};
  auto targets = panel::census_report_targets(analysis::default_census_dir(), kChartsCensusVariables, kChartsBorough, false);
  if (!targets) {
    data["census_problem"] = targets.error().message;
  } else {
    auto fit = panel::respondents_report(api.store, api.store, id, targets->borough, api.today());
    if (!fit) return fit.error();
    data["people"] = fit->people;
    data["with_facts"] = fit->with_facts;
    data["fit"] = representativeness_data(*fit);
    data["no_facts"] = fit->with_facts == 0;
  }
  StaffPage p;
  p.title = "Charts: " + rec->document.value("title", id);
  p.back = "/staff/consultations/" + id + "/responses";
  return render_staff_page(sc, "staff_charts", data, p);
}

}  // namespace townhall::server::staff
