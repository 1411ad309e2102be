// Owned arrays and the ResponseTable hand-over; see arrays.h.
#include "arrays.h"

#include <pybind11/stl.h>

namespace py = pybind11;

namespace townhall::python {
namespace {

template <typename T>
void register_array(py::module_& m, const char* name) {
  py::class_<OwnedArray<T>>(m, name, py::buffer_protocol(),
                            "A vector owned by the core; np.asarray() views it without copying.")
      .def_buffer([](OwnedArray<T>& a) {
        // An empty vector may have no storage; buffer consumers (pyarrow) want a pointer.
        static T empty{};
        return py::buffer_info(a.data.empty() ? &empty : a.data.data(), static_cast<py::ssize_t>(sizeof(T)),
                               py::format_descriptor<T>::format(), 1,
                               {static_cast<py::ssize_t>(a.data.size())},
                               {static_cast<py::ssize_t>(sizeof(T))});
      })
      .def("__len__", [](const OwnedArray<T>& a) { return a.data.size(); });
}

// Arrow's large_string buffers: offsets, UTF-8 data and a validity bitmap (1 = present).
py::dict text_buffers(analysis::TextValues&& text, const std::vector<uint8_t>* missing) {
  const size_t n = text.size();
  std::vector<uint8_t> validity((n + 7) / 8, 0);
  size_t nulls = 0;
  for (size_t i = 0; i < n; ++i) {
    if (missing && (*missing)[i]) {
      ++nulls;
    } else {
      validity[i / 8] = static_cast<uint8_t>(validity[i / 8] | (1u << (i % 8)));
    }
  }
  auto bytes = std::make_unique<OwnedBytes>();
  bytes->data = std::move(text.data);
  py::dict d;
  d["offsets"] = owned(std::move(text.offsets));
  d["data"] = py::cast(std::move(bytes));
  d["validity"] = owned(std::move(validity));
  d["null_count"] = nulls;
  return d;
}

// Categorical codes as pandas keeps them: int8 when there are fewer than 127 categories (so
// pd.Categorical.from_codes takes the buffer as it is rather than copying it down), else int32.
// The int32 vector is freed as soon as its narrow copy exists, one column at a time.
py::object codes_array(std::vector<int32_t>&& codes, size_t categories) {
  if (categories >= 127) return owned(std::move(codes));
  std::vector<int8_t> narrow(codes.size());
  for (size_t i = 0; i < codes.size(); ++i) narrow[i] = static_cast<int8_t>(codes[i]);
  std::vector<int32_t>().swap(codes);
  return owned(std::move(narrow));
}

}  // namespace

void register_arrays(py::module_& m) {
  register_array<int8_t>(m, "Int8Array");
  register_array<double>(m, "Float64Array");
  register_array<int32_t>(m, "Int32Array");
  register_array<int64_t>(m, "Int64Array");
  register_array<uint8_t>(m, "UInt8Array");
  py::class_<OwnedBytes>(m, "Bytes", py::buffer_protocol(),
                         "UTF-8 bytes owned by the core; viewed by pyarrow without copying.")
      .def_buffer([](OwnedBytes& b) {
        return py::buffer_info(b.data.data(), 1, py::format_descriptor<uint8_t>::format(), 1,
                               {static_cast<py::ssize_t>(b.data.size())}, {py::ssize_t{1}});
      })
      .def("__len__", [](const OwnedBytes& b) { return b.data.size(); });
}

py::dict response_table_to_dict(analysis::ResponseTable&& t) {
  using analysis::ColumnKind;
  py::list cols;
  for (auto& c : t.columns) {
    py::dict d;
    d["name"] = c.name;
    d["question_id"] = c.question_id;
    d["question_type"] = c.question_type;
    d["ordered"] = c.ordered;
    d["categories"] = c.categories;
    switch (c.kind) {
      case ColumnKind::kCategorical:
        d["kind"] = "categorical";
        d["codes"] = codes_array(std::move(c.codes), c.categories.size());
        break;
      case ColumnKind::kBoolean:
        d["kind"] = "boolean";
        d["values"] = owned(std::move(c.values));
        d["missing"] = owned(std::move(c.missing));
        break;
      case ColumnKind::kInteger:
        d["kind"] = "integer";
        d["values"] = owned(std::move(c.integers));
        d["missing"] = owned(std::move(c.missing));
        break;
      case ColumnKind::kText:
        d["kind"] = "text";
        d["text"] = text_buffers(std::move(c.text), &c.missing);
        break;
    }
    cols.append(d);
  }
  py::dict out;
  out["rows"] = t.rows;
  out["columns"] = cols;
  out["channel_codes"] = codes_array(std::move(t.channel_codes), t.channel_categories.size());
  out["channel_categories"] = t.channel_categories;
  out["language_codes"] = codes_array(std::move(t.language_codes), t.language_categories.size());
  out["language_categories"] = t.language_categories;
  out["submitted_at_ns"] = owned(std::move(t.submitted_at_ns));
  out["references"] = text_buffers(std::move(t.references), nullptr);
  return out;
}

}  // namespace townhall::python
