// The console's exports of a consultation's responses: CSV (RFC 4180, UTF-8 with a byte-order mark
// so Excel reads it as UTF-8, cells a spreadsheet would run as formulas neutralised) and Excel
// .xlsx (libxlsxwriter). The rows come from the core (analysis/response_export.h), a page of
// responses at a time; only the writing of the file is here.
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <xlsxwriter.h>

#include "staff/responses_pages.h"
#include "townhall/analysis/response_export.h"
#include "townhall/util/csv_write.h"

namespace townhall::server::staff {
namespace {

// Excel's limits: longer text or more rows than this cannot be stored in a sheet.
constexpr size_t kXlsxMaxText = 32767;
constexpr int64_t kXlsxMaxRows = 1048576;

struct ExportSetup {
  analysis::ResponseSheet sheet;
  ResponseFilter filter;
};

// The sheet for the consultation and the filter from the query (the table's own), or an error for
// the console to show.
Result<ExportSetup> setup_export(Api::Impl& api, StaffContext& sc) {
  const std::string id = sc.ctx.params["id"];
  auto rec = api.store.get_consultation(id);
  if (!rec) return rec.error();
  FilterForm form = read_filter_form(sc.ctx.query);
  if (!form.errors.empty()) {
    return invalid_argument(form.errors[0]["href"].get<std::string>().substr(1), form.errors[0]["message"].get<std::string>());
  }
  auto questions = questions_of(api, id);
  if (!questions) return questions.error();
  auto sheet = analysis::ResponseSheet::create(*questions);
  if (!sheet) return sheet.error();
  return ExportSetup{std::move(sheet).value(), form.filter};
}

HttpResponse refused_export(const StaffContext& sc, const Error& e) {
  StaffPage p;
  p.title = "The responses could not be exported";
  p.status = e.code == ErrorCode::kInvalidArgument ? 400 : 500;
  p.back = "/staff/consultations/" + sc.ctx.params.at("id") + "/responses";
  std::string text = e.message;
  if (!e.field.empty()) text = e.field + ": " + text;
  return render_staff_page(sc, "staff_message", {{"heading", p.title}, {"text", text}}, p);
}

HttpResponse export_download(std::string body, const std::string& content_type, const std::string& filename) {
  HttpResponse r;
  r.content_type = content_type;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

// A file name from a consultation id ("c-12-responses.csv"): ids are the store's own, but only
// safe characters go into a header.
std::string file_stem(const std::string& id) {
  std::string out;
  for (unsigned char c : id) out += (std::isalnum(c) || c == '-' || c == '_') ? static_cast<char>(c) : '_';
  return out + "-responses";
}

// A directory of its own for one workbook, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "townhall-export-XXXXXX").string();
    if (mkdtemp(tmpl.data())) path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

// GET /staff/consultations/{id}/export.csv (the table's filter in the query)
Result<HttpResponse> get_responses_csv(Api::Impl& api, StaffContext& sc) {
  auto setup = setup_export(api, sc);
  if (!setup) {
    if (setup.error().code == ErrorCode::kInvalidArgument) return refused_export(sc, setup.error());
    return setup.error();
  }
  std::string out(csv::kUtf8Bom);
  auto write = [&out](const auto& cells, auto text_of, auto number_of) {
    bool first = true;
    for (const auto& c : cells) {
      if (!first) out += ',';
      first = false;
      csv::append_field(out, text_of(c), number_of(c));
    }
    out += "\r\n";
  };
  write(setup->sheet.header(), [](const std::string& s) -> const std::string& { return s; },
        [](const std::string&) { return false; });
  auto st = analysis::export_responses(api.store, sc.ctx.params["id"], setup->sheet, setup->filter,
                                       [&](const std::vector<analysis::ExportCell>& row) {
                                         write(row, [](const analysis::ExportCell& c) -> const std::string& { return c.text; },
                                               [](const analysis::ExportCell& c) { return c.is_number; });
                                         return Status{};
                                       });
  if (!st) return refused_export(sc, st.error());
  return export_download(std::move(out), "text/csv; charset=utf-8", file_stem(sc.ctx.params["id"]) + ".csv");
}

// GET /staff/consultations/{id}/export.xlsx (the table's filter in the query)
Result<HttpResponse> get_responses_xlsx(Api::Impl& api, StaffContext& sc) {
  auto setup = setup_export(api, sc);
  if (!setup) {
    if (setup.error().code == ErrorCode::kInvalidArgument) return refused_export(sc, setup.error());
    return setup.error();
  }
  ScratchDir dir;
  if (dir.path().empty()) return Error{ErrorCode::kIo, "", "cannot make a directory for the workbook"};
  const std::string file = dir.path() + "/responses.xlsx";
  // constant_memory: each row goes to a temporary file (in our directory) as it is written, so a
  // large consultation does not build the whole sheet in memory.
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = const_cast<char*>(dir.path().c_str());
  options.use_zip64 = LXW_TRUE;
  lxw_workbook* book = workbook_new_opt(file.c_str(), &options);
  if (!book) return Error{ErrorCode::kIo, "", "cannot start the workbook"};
  lxw_worksheet* ws = workbook_add_worksheet(book, "Responses");
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  lxw_row_t row = 0;
  const auto& header = setup->sheet.header();
  for (size_t c = 0; c < header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].substr(0, kXlsxMaxText).c_str(), bold);
  }
  worksheet_freeze_panes(ws, 1, 1);
  auto st = analysis::export_responses(
      api.store, sc.ctx.params["id"], setup->sheet, setup->filter, [&](const std::vector<analysis::ExportCell>& cells) -> Status {
        if (static_cast<int64_t>(row) + 1 >= kXlsxMaxRows) {
          return invalid_argument("", "there are more responses than an Excel sheet holds; export them as CSV");
        }
        ++row;
        for (size_t c = 0; c < cells.size(); ++c) {
          const auto& cell = cells[c];
          if (cell.text.empty()) continue;
          const auto col = static_cast<lxw_col_t>(c);
          if (cell.text.size() > kXlsxMaxText) {
            return invalid_argument("/responses/" + cells[0].text, "an answer is longer than an Excel cell holds; export the responses as CSV");
          }
          lxw_error e = cell.is_number ? worksheet_write_number(ws, row, col, cell.number, nullptr)
                                       : worksheet_write_string(ws, row, col, cell.text.c_str(), nullptr);
          if (e != LXW_NO_ERROR) return Error{ErrorCode::kIo, "", std::string("cannot write the workbook: ") + lxw_strerror(e)};
        }
        return Status{};
      });
  lxw_error closed = workbook_close(book);  // frees the workbook whatever happened
  if (!st) return refused_export(sc, st.error());
  if (closed != LXW_NO_ERROR) return Error{ErrorCode::kIo, "", std::string("cannot write the workbook: ") + lxw_strerror(closed)};
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Error{ErrorCode::kIo, "", "cannot read the workbook back"};
  return export_download(std::move(bytes).str(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                  file_stem(sc.ctx.params["id"]) + ".xlsx");
}

}  // namespace townhall::server::staff
