// townhall/consultations/consultation_rules.h — charter checks on a consultation.
//
// C-MIN (six weeks for big decisions), C-EXT (extension over holiday windows), C-12 (twelve weeks
// for formal written consultations affecting the voluntary sector), C-ELECT (pre-election
// periods), G1 (formative stage), G2 (reasons and options), G4 (time to consider the summary) and
// VAR (a non-online channel): docs/design.md §2.3; the registry entries are in charter/rules.h.
// Thread-safety: pure functions.
#pragma once

#include <vector>

#include "townhall/charter/finding.h"
#include "townhall/charter/policy.h"
#include "townhall/consultations/consultation.h"

namespace townhall {

// The close date a consultation needs under C-EXT.
struct ClosePlan {
  Date opens;
  int base_days = 0;      // weeks × 7
  Date base_close;        // opens + base_days − 1 (both ends count)
  Date close;             // earliest close satisfying C-EXT; == base_close when no window overlaps
  int holiday_days = 0;   // days inside holiday windows between opens and close
  int length_days = 0;    // close − opens + 1
  bool extended = false;
};

// Holiday-window days in [from, to] (inclusive).
int holiday_window_days(Date from, Date to, const CharterPolicy& policy);

// The earliest close date for a consultation of `weeks` weeks opening on `opens`: with the
// extension on and a window overlapping the base period, the earliest date where the total length
// is at least base + extension days and the days outside holiday windows are at least the base.
ClosePlan plan_close(Date opens, int weeks, const CharterPolicy& policy);

// All findings for one consultation, as of `as_of` (for "due by" versus "overdue").
std::vector<Finding> check_consultation(const Consultation& c, const CharterPolicy& policy, Date as_of);

}  // namespace townhall
