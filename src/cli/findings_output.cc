#include "cli/findings_output.h"

#include <ostream>

namespace grove::cli {

void PrintFindings(std::ostream& out, const app::DoctorReport& report) {
  for (const app::Finding& f : report.findings) {
    out << app::SeverityName(f.severity) << "  " << f.kind << "  " << f.what << "  [" << f.where << "]\n";
    if (!f.repair.empty()) out << "    repair: " << f.repair << "\n";
  }
}

Json FindingsJson(const app::DoctorReport& report) {
  Json findings = Json::array();
  for (const app::Finding& f : report.findings) {
    Json item = {{"kind", f.kind}, {"severity", app::SeverityName(f.severity)}, {"what", f.what}, {"where", f.where}};
    if (!f.repair.empty()) item["repair"] = f.repair;
    findings.push_back(std::move(item));
  }
  Json checked = Json::object();
  for (const auto& [name, n] : report.checked) checked[name] = n;
  return {{"healthy", report.Healthy()},
          {"lost", report.Count(app::Severity::kLost)},
          {"warnings", report.Count(app::Severity::kWarning)},
          {"checked", checked},
          {"findings", findings}};
}

}  // namespace grove::cli
