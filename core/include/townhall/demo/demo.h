// townhall/demo/demo.h — the demo database: consultations in every lifecycle state with responses,
// a panel member and a Forward Plan, made through the same core functions (and charter checks) as
// the API, for `townhall demo seed`, `make serve`, `townhall.demo.seed()` and the example notebook.
// Thread-safety: seed_demo writes through the store it is given; call it from one thread.
#pragma once

#include <string>

#include "townhall/date.h"
#include "townhall/error.h"
#include "townhall/store/store.h"

namespace townhall {

struct DemoSeed {
  // False when the store already held consultations: nothing was added.
  bool seeded = false;
  // The demo officer's and governance officer's bearer tokens (only their hashes are stored).
  std::string officer_token;
  std::string governance_token;
  int consultations = 0;
  int responses = 0;
  int key_decisions = 0;
  int meetings = 0;
};

// Seeds an empty store, dated around `today`: six consultations (two open, scheduled, closed,
// outcome published and a draft that breaches C-MIN) with 21 responses, a panel member who can sign
// in (panel.member@example.org) and a Forward Plan register of two key decisions, one short of 28
// clear days' notice, and two Cabinet meetings, the next part in private. Leaves a store that already has consultations unchanged. The error names the step that
// failed.
Result<DemoSeed> seed_demo(Store& store, Date today);

}  // namespace townhall
