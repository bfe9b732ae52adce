#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace grove::app {

// How bad a finding is. kLost: something recorded is lost or corrupt (grove
// doctor exits 1). kWarning: reported, not a failure (an orphaned execution
// the next command recovers, a leftover temporary file).
enum class Severity { kWarning, kLost };

// One thing grove doctor found.
struct Finding {
  std::string kind;   // e.g. "artifact-missing", "event-gap" (docs/cli.md lists them).
  Severity severity = Severity::kWarning;
  std::string what;   // What is wrong, naming the record.
  std::string where;  // Where it is: a file, or the store and its table.
  std::string repair; // What --repair did about it; empty when nothing.
};

// What grove doctor checked and found.
struct DoctorReport {
  std::vector<Finding> findings;
  // How many of each thing were checked, e.g. "artifacts" -> 120.
  std::map<std::string, int64_t> checked;

  void Add(std::string kind, Severity severity, std::string what, std::string where) {
    findings.push_back({std::move(kind), severity, std::move(what), std::move(where), ""});
  }
  int64_t Count(Severity severity) const;
  // Findings of `kind`.
  std::vector<Finding> OfKind(const std::string& kind) const;
  // Nothing is lost or corrupt (warnings allowed).
  bool Healthy() const { return Count(Severity::kLost) == 0; }
};

const char* SeverityName(Severity severity);

}  // namespace grove::app
