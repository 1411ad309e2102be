// townhall/panel/sign_in_email.h — the form in which panel members' sign-in addresses are compared.
//
// A sign-in address belongs to at most one member. Two spellings are the same address when they
// are equal after trimming white space, ICU full case folding (so "Victim@Example.org" and
// "victim@example.org", "STRASSE" and "straße", "ΑΝΝΑ" and "αννα" are one address) and NFC.
// Folding may join two mailboxes a mail server would keep apart, so the key only decides
// uniqueness and lookup: mail always goes to the address the member proved, never to a
// spelling someone typed.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace townhall::panel {

// The comparison key of `email`; nullopt when it is not valid UTF-8 or is blank after trimming.
std::optional<std::string> sign_in_key(std::string_view email);

}  // namespace townhall::panel
