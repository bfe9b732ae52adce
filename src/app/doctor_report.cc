#include "app/doctor_report.h"

namespace grove::app {

int64_t DoctorReport::Count(Severity severity) const {
  int64_t n = 0;
  for (const Finding& f : findings) n += f.severity == severity ? 1 : 0;
  return n;
}

std::vector<Finding> DoctorReport::OfKind(const std::string& kind) const {
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    if (f.kind == kind) out.push_back(f);
  }
  return out;
}

const char* SeverityName(Severity severity) { return severity == Severity::kLost ? "lost" : "warning"; }

}  // namespace grove::app
