// Internal to townhall_server: the console's consultation builder (a new consultation, editing a
// draft, with the charter findings and readability scores of what was saved), the preview of the
// public page in any promised language, the outcome editor ("We asked, you said, we did") and the
// translation editor. Every change goes through the core (lifecycle.h, editing.h) with the staff
// member as the actor, so the audit trail names them.
// Thread-safety: the route table is built once; the handlers are safe from any thread.
#pragma once

#include <set>
#include <vector>

#include "staff/staff_kit.h"

namespace townhall::server::staff {

// consultation_builder_routes() is declared in staff_kit.h with the other route lists.

// preview_page.cpp: the residents' consultation page, shown to staff before it is published.
Result<HttpResponse> get_consultation_preview(Api::Impl& api, StaffContext& sc);
// translation_pages.cpp: the translation editor's handlers.
Result<HttpResponse> get_translation_editor(Api::Impl& api, StaffContext& sc);
Result<HttpResponse> post_translation_editor(Api::Impl& api, StaffContext& sc);

}  // namespace townhall::server::staff
