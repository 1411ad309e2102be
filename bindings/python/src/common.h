// Shared helpers of the Python module: datetime.date <-> townhall::Date, and core errors as
// townhall.Error exceptions (the classes live in townhall/errors.py).
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <datetime.h>

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "townhall/date.h"
#include "townhall/error.h"

namespace townhall::python {

// A core Error on its way to Python; translated to the townhall.errors class for its code.
struct CoreError : std::exception {
  Error error;
  std::string rule;
  // A refusal by the charter: every breached rule, and the findings as JSON text (an array of
  // Finding::to_json()), as the API's 409 gives them.
  std::vector<std::string> rules;
  std::string findings_json;
  CoreError(Error e, std::string r) : error(std::move(e)), rule(std::move(r)) {}
  const char* what() const noexcept override { return error.message.c_str(); }
};

[[noreturn]] inline void throw_error(const Error& e, std::string rule = {}) {
  throw CoreError(e, std::move(rule));
}

template <typename T>
T unwrap(Result<T> r) {
  if (!r) throw_error(r.error());
  return std::move(r).value();
}

inline void unwrap(const Status& s) {
  if (!s) throw_error(s.error());
}

void register_errors(pybind11::module_& m);
void register_analysis(pybind11::module_& m);
void register_database(pybind11::module_& m);
void register_free_text(pybind11::module_& m);

}  // namespace townhall::python

namespace pybind11::detail {

// datetime.date (not datetime.datetime, whose time of day would be silently dropped).
template <>
struct type_caster<townhall::Date> {
  PYBIND11_TYPE_CASTER(townhall::Date, const_name("datetime.date"));

  bool load(handle src, bool) {
    if (!PyDateTimeAPI) { PyDateTime_IMPORT; }
    if (!src || !PyDate_Check(src.ptr()) || PyDateTime_Check(src.ptr())) return false;
    value = townhall::Date::from_ymd(PyDateTime_GET_YEAR(src.ptr()),
                                     static_cast<unsigned>(PyDateTime_GET_MONTH(src.ptr())),
                                     static_cast<unsigned>(PyDateTime_GET_DAY(src.ptr())));
    return true;
  }

  static handle cast(townhall::Date d, return_value_policy, handle) {
    if (!PyDateTimeAPI) { PyDateTime_IMPORT; }
    return PyDate_FromDate(d.year(), static_cast<int>(d.month()), static_cast<int>(d.day()));
  }
};

}  // namespace pybind11::detail
