// Contiguous vectors owned by C++ and viewed by numpy/pyarrow through the buffer protocol (zero
// copy), and the hand-over of an analysis::ResponseTable as such arrays.
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "townhall/analysis/response_table.h"

namespace townhall::python {

template <typename T>
struct OwnedArray {
  std::vector<T> data;
};

// UTF-8 bytes (Arrow's data buffer of a string array).
struct OwnedBytes {
  std::string data;
};

template <typename T>
pybind11::object owned(std::vector<T>&& v) {
  auto a = std::make_unique<OwnedArray<T>>();
  a->data = std::move(v);
  return pybind11::cast(std::move(a));
}

void register_arrays(pybind11::module_& m);

// {"rows", "columns": [{name, question_id, question_type, ordered, categories, kind, ...}],
//  "channel_codes", "channel_categories", "language_codes", "language_categories",
//  "submitted_at_ns", "references"}; text as {"offsets", "data", "validity", "null_count"}.
// Codes are int8 when their categories number fewer than 127 (as pandas stores them), else int32.
// Needs the GIL.
pybind11::dict response_table_to_dict(analysis::ResponseTable&& t);

}  // namespace townhall::python
