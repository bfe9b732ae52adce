#pragma once

#include <iosfwd>

#include "app/doctor_report.h"
#include "common/json.h"

namespace grove::cli {

// grove doctor's findings as text, one line each ("<severity>  <kind>  <what>  [<where>]", and what --repair
// did on the next), as grove doctor and grove restore print them.
void PrintFindings(std::ostream& out, const app::DoctorReport& report);

// The report as --json shows it: {healthy, lost, warnings, checked, findings: [{kind, severity, what, where, repair?}]}.
Json FindingsJson(const app::DoctorReport& report);

}  // namespace grove::cli
