// Internal to townhall_server: what the response journey remembers once a browser session's
// response is stored, so that sending again (Back from the confirmation, then Send) says "you have
// already responded" with the reference instead of asking for answers that are gone.
//
// The session's draft (pages_drafts, keyed by session and consultation) is replaced by one that
// holds only the reference, under a key no question id can take ("@sent": question ids are
// [A-Za-z0-9_-]); the answers and any email address are deleted with the old draft as before.
// Thread-safety: plain functions; the store is safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "http/api_impl.h"
#include "pages/page_kit.h"
#include "townhall/store/web_session_store.h"

namespace townhall::server {

// The reference of the response this draft's session already sent, if it did.
std::optional<std::string> sent_reference(const ResponseDraft& draft);

// Replaces the draft `key` with the marker of the sent response `reference`.
void remember_sent(Store& store, const std::string& key, const std::string& consultation_id, const std::string& lang,
                   const std::string& reference);

// "You have already responded. Your reference number is …", with a link to the confirmation.
HttpResponse already_responded_page(const Localiser& loc, const std::string& consultation_id,
                                    const std::string& reference, int status);

}  // namespace townhall::server
