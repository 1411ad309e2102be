// townhall/selection/instance.h — a panel-selection instance: quota categories and the respondent pool.
//
// Quotas come from a CSV in any of three layouts: `category,feature,min,max` (replication and
// thesis data), `feature,value,min,max[,min_flex,max_flex]` (Sortition Foundation) and
// `category,name,min,max` (newDemocracy, OpenDLP; extra columns such as `suggest min` or
// `Current #` are ignored). The pool CSV has one column per category; an optional id column (else a
// person's id is their 0-based row index) and optional household (address) columns.
// Thread-safety: plain values; the loaders are thread-safe.
#pragma once

#include <string>
#include <vector>

#include "townhall/error.h"
#include "townhall/util/csv_table.h"

namespace townhall::selection {

struct Category {
  std::string name;
  std::vector<std::string> values;  // in quota-file order
  std::vector<int> min;             // per value
  std::vector<int> max;             // per value
};

struct Person {
  std::string id;
  std::vector<int> values;  // per category: index into Category::values
  std::string household;    // normalised address key; empty when unknown or not used
  size_t row = 0;           // 0-based data row in the pool file
};

struct Instance {
  std::vector<Category> categories;
  std::vector<Person> people;
};

struct PoolOptions {
  std::string id_column;                       // empty: id is the 0-based row index
  std::vector<std::string> household_columns;  // empty: no household information
};

// Parses a quota table. Errors name the file, row and column.
Result<std::vector<Category>> parse_quotas(const csv::CsvTable& quotas);

// Parses the pool against the categories. Unknown values, missing columns, duplicate ids and an
// empty pool are errors naming the file, row and column.
Result<Instance> parse_pool(std::vector<Category> categories, const csv::CsvTable& pool,
                            const PoolOptions& options);

// Both files from disk.
Result<Instance> load_instance(const std::string& quotas_path, const std::string& pool_path,
                               const PoolOptions& options);

// Address normalisation for the one-per-household rule: lower case, punctuation dropped,
// whitespace runs collapsed to one space, columns joined with '|'. All-empty gives "".
std::string normalise_household(const std::vector<std::string>& parts);

}  // namespace townhall::selection
