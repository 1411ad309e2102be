// Public outputs of the Forward Plan: CSV (RFC 4180), an Atom feed (RFC 4287) and an iCalendar
// file (RFC 5545), all built from the parsed plan so every format says the same thing.
#include "townhall/forward_plan/outputs.h"

#include <string>

namespace townhall {
namespace {

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string xml_escape(const std::string& v) {
  std::string out;
  for (char c : v) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string ics_text(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// Folds a content line at 75 octets (RFC 5545 §3.1) without splitting a UTF-8 sequence.
std::string ics_line(const std::string& line) {
  std::string out;
  size_t start = 0, limit = 75;
  while (line.size() - start > limit) {
    size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out += line.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  return out + line.substr(start) + "\r\n";
}

std::string compact(Date d) {
  std::string iso = d.iso();
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

std::string wards(const KeyDecision& k) {
  std::string out;
  for (const auto& w : k.wards_affected) out += (out.empty() ? "" : "; ") + w;
  return out;
}

}  // namespace

std::string forward_plan_csv(const ForwardPlan& plan) {
  std::string out =
      "id,matter,decision_maker,date_or_period,first_day,value,value_pence,wards_affected,notice_published_on,"
      "general_exception,special_urgency,decided_on\r\n";
  for (const auto& k : plan.key_decisions) {
    std::vector<std::string> row = {
        k.id,
        k.matter,
        k.decision_maker.describe(),
        k.timing.describe(),
        k.timing.first_day().iso(),
        k.value_pence ? format_pounds(*k.value_pence) : "",
        k.value_pence ? std::to_string(*k.value_pence) : "",
        wards(k),
        k.notice && k.notice->published_on ? k.notice->published_on->iso() : "",
        k.general_exception ? "yes" : "no",
        k.special_urgency ? "yes" : "no",
        k.decided_on ? k.decided_on->iso() : ""};
    for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + csv_field(row[i]);
    out += "\r\n";
  }
  return out;
}

std::string forward_plan_atom(const ForwardPlan& plan, const std::string& now_rfc3339, const std::string& stylesheet_href) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  if (!stylesheet_href.empty()) out += "<?xml-stylesheet type=\"text/xsl\" href=\"" + xml_escape(stylesheet_href) + "\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  out += "  <id>urn:townhall:forward-plan</id>\n  <title>Forward Plan of key decisions</title>\n";
  out += "  <updated>" + now_rfc3339 + "</updated>\n  <author><name>" +
         xml_escape(plan.authority.empty() ? std::string("The council") : plan.authority) + "</name></author>\n";
  out += "  <link rel=\"self\" href=\"/api/v1/forward-plan.atom\"/>\n";
  for (const auto& k : plan.key_decisions) {
    std::string updated = k.notice && k.notice->published_on ? k.notice->published_on->iso() + "T00:00:00Z" : now_rfc3339;
    out += "  <entry>\n    <id>urn:townhall:key-decision:" + xml_escape(k.id) + "</id>\n";
    out += "    <title>" + xml_escape(k.matter) + "</title>\n";
    out += "    <updated>" + updated + "</updated>\n";
    out += "    <link href=\"/api/v1/key-decisions/" + xml_escape(k.id) + "\"/>\n";
    out += "    <summary>" + xml_escape("Key decision by " + k.decision_maker.describe() + ", " + k.timing.describe() + ".") +
           "</summary>\n  </entry>\n";
  }
  return out + "</feed>\n";
}

std::string forward_plan_ics(const ForwardPlan& plan, const std::string& now_rfc3339) {
  // DTSTAMP wants the basic format: 20261125T043000Z.
  std::string stamp;
  for (char c : now_rfc3339) {
    if (c != '-' && c != ':') stamp += c;
  }
  std::string out = ics_line("BEGIN:VCALENDAR") + ics_line("VERSION:2.0") + ics_line("PRODID:-//Townhall//Forward Plan//EN") +
                    ics_line("CALSCALE:GREGORIAN") + ics_line("X-WR-CALNAME:Forward Plan of key decisions");
  for (const auto& k : plan.key_decisions) {
    Date first = k.timing.first_day();
    Date last = k.timing.date ? *k.timing.date : (k.timing.to ? *k.timing.to : first);
    out += ics_line("BEGIN:VEVENT");
    out += ics_line("UID:" + ics_text(k.id) + "@townhall-forward-plan");
    out += ics_line("DTSTAMP:" + stamp);
    out += ics_line("DTSTART;VALUE=DATE:" + compact(first));
    out += ics_line("DTEND;VALUE=DATE:" + compact(last.plus_days(1)));  // exclusive end
    out += ics_line("SUMMARY:" + ics_text("Key decision: " + k.matter));
    out += ics_line("DESCRIPTION:" + ics_text("Decision maker: " + k.decision_maker.describe() + ". " + k.timing.describe() + "."));
    out += ics_line("END:VEVENT");
  }
  return out + ics_line("END:VCALENDAR");
}

}  // namespace townhall
