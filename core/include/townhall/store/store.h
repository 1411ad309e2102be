// townhall/store/store.h — a Townhall database: one handle holding every capability's store.
//
// Each capability has its own small interface (consultations/store.h, consultations/exception_store.h, responses/store.h,
// panel/store.h, forward_plan/store.h, forward_plan/register_store.h, people_store.h, web_session_store.h,
// mail/outbox.h, access_store.h, staff.h, calendar/store.h, audit_log.h); core functions take the narrowest one they need. Store
// derives from all of them so the server, the CLI and the bindings keep one object;
// open_sqlite_store (sqlite_store.h) gives the embedded SQLite one. Data kinds are kept apart as the design requires: people (personal
// data), equality data and responses live in separate tables and a response refers to a person
// only by id. Every audited write is written together with its audit entry in one transaction.
// Thread-safety: implementations must be safe to call from many threads at once.
#pragma once

#include "townhall/calendar/store.h"
#include "townhall/consultations/exception_store.h"
#include "townhall/consultations/store.h"
#include "townhall/forward_plan/register_store.h"
#include "townhall/forward_plan/store.h"
#include "townhall/panel/store.h"
#include "townhall/responses/store.h"
#include "townhall/submissions/store.h"
#include "townhall/access/access_store.h"
#include "townhall/access/staff.h"
#include "townhall/audit/audit_log.h"
#include "townhall/access/people_store.h"
#include "townhall/access/role.h"
#include "townhall/mail/outbox.h"
#include "townhall/store/web_session_store.h"

namespace townhall {

class Store : public ConsultationStore,
              public ExceptionRequestStore,
              public ResponseStore,
              public SubmissionStore,
              public PanelStore,
              public ForwardPlanStore,
              public ForwardPlanRegisterStore,
              public PeopleStore,
              public WebSessionStore,
              public MailOutbox,
              public AccessStore,
              public StaffStore,
              public HolidayFeedStore,
              public AuditLog {
 public:
  ~Store() override = default;

  // The schema version of the database (sqlite_store.h).
  virtual int schema_version() = 0;
};

}  // namespace townhall
