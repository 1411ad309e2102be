// `townhall outbox list` and `townhall outbox deliver`: what the server has written to send, and
// sending it now (the server does the same in the background when given a way to send).
#include <ctime>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "database_option.h"
#include "mail_options.h"
#include "townhall/mail/delivery.h"

namespace townhall::cli {
namespace {

std::set<std::string> with(std::set<std::string> base, const std::set<std::string>& more) {
  base.insert(more.begin(), more.end());
  return base;
}

TOWNHALL_COMMAND(
    "outbox list",
    "outbox list --db PATH [--state queued|delivered|failed] [--json]  (the emails the server wrote, with where each "
    "is: queued, delivered or failed, its attempts and the last error)",
    OptionSpec{{"db", "state", "audit-key"}, {}, 0, 0}, [](const Args& a) {
      std::optional<std::string> state = a.option("state");
      if (state && *state != "queued" && *state != "delivered" && *state != "failed") {
        return bad_input(invalid_argument("--state", "must be queued, delivered or failed"));
      }
      auto store = open_database(a, DbUse::kRead);
      if (!store) return bad_input(store.error());
      auto all = (*store)->outbox();
      if (!all) return bad_input(all.error());
      nlohmann::json out = nlohmann::json::array();
      for (const OutboxEmail& e : *all) {
        if (state && *state != delivery_state_id(e.state)) continue;
        if (a.json()) {
          out.push_back({{"id", e.id}, {"to", e.to}, {"subject", e.subject}, {"created_at", e.created_at},
                         {"state", delivery_state_id(e.state)}, {"attempts", e.attempts},
                         {"last_error", e.last_error}, {"delivered_at", e.delivered_at}, {"reference", e.reference}});
          continue;
        }
        std::cout << e.id << "  " << delivery_state_id(e.state) << "  " << e.created_at << "  " << e.to << "  "
                  << e.subject;
        if (e.attempts > 0) std::cout << "  (" << e.attempts << (e.attempts == 1 ? " attempt" : " attempts") << ")";
        if (!e.delivered_at.empty()) std::cout << "  delivered " << e.delivered_at;
        if (!e.last_error.empty() && e.state != DeliveryState::kDelivered) std::cout << "  last error: " << e.last_error;
        std::cout << "\n";
      }
      if (a.json()) std::cout << out.dump(2) << "\n";
      return kExitOk;
    });

TOWNHALL_COMMAND(
    "outbox deliver",
    "outbox deliver --db PATH (--smtp-url URL --mail-from ADDRESS [--mail-from-name NAME] [--smtp-user USER "
    "--smtp-password-file FILE] [--smtp-ca-file PEM] [--smtp-plain-text] | --notify-key-file FILE --notify-template ID "
    "[--notify-url URL] [--notify-ca-file PEM])  (sends every email that is due now; a failure that may pass is "
    "tried again later, with longer waits, up to 8 attempts)",
    OptionSpec{with({"db", "audit-key"}, mail_value_options()), mail_flag_options(), 0, 0}, [](const Args& a) {
      auto transport = mail_transport_option(a);
      if (!transport) return bad_input(transport.error());
      if (!*transport) return bad_input(invalid_argument("--smtp-url", "say how to send: --smtp-url or --notify-key-file"));
      auto store = open_database(a, DbUse::kWrite);
      if (!store) return bad_input(store.error());
      auto round = deliver_due(**store, **transport, static_cast<int64_t>(std::time(nullptr)), RetryPolicy{},
                               [](const std::string& line) { std::cout << "townhall: outbox: " << line << std::endl; });
      if (!round) return bad_input(round.error());
      std::cout << "townhall: outbox: " << round->delivered << " delivered, " << round->retrying
                << " to try again later, " << round->failed << " failed for good (through " << (*transport)->describe()
                << ")" << std::endl;
      return kExitOk;
    });

}  // namespace
}  // namespace townhall::cli
