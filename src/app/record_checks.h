#pragma once

// grove doctor's checks of the metadata's invariants, each over one snapshot
// of the rows (StoreReader), so that writers running meanwhile cannot make a
// consistent store look inconsistent. Each adds what it finds to `report`
// (app/doctor_report.h) and counts what it checked; an error is a failure to
// read, not a finding. `where` names the store (e.g. its file).

#include <string>

#include "app/doctor_report.h"
#include "common/clock.h"
#include "common/status.h"
#include "store/owner_liveness.h"
#include "store/store_transaction.h"

namespace grove::app {

// Executions and step runs: an execution still Executing or Stopping whose
// owner is gone or whose lease expired is orphaned (a warning: the next
// command recovers it); a step run still Starting, Executing or Stopping in
// an execution that ended is lost track of; a succeeded step's outputs and
// every step's log must be recorded artifacts.
Status CheckExecutions(store::StoreReader& rows, const store::OwnerLiveness& owners, TimeMs now,
                       const std::string& where, DoctorReport* report);

// The inference queue: exactly one prediction per answered (done) message,
// none for a queued or dead one, none naming an unknown message; each file's
// row count matches its messages, and a recorded file has every message done.
// A recorded file not yet moved is a warning (the next workers move it).
Status CheckQueue(store::StoreReader& rows, const std::string& where, DoctorReport* report);

// The event log: seqs 1, 2, 3, ... with none missing.
Status CheckEvents(store::StoreReader& rows, const std::string& where, DoctorReport* report);

// Trigger firings claimed but not completed (a warning: the next server start re-drives them).
Status CheckFirings(store::StoreReader& rows, const std::string& where, DoctorReport* report);

// The registry and endpoints (registry_checks.cc): each group's versions are
// numbered 1..n without gaps, with a known approval status and recorded model
// and metrics artifacts; endpoints pin existing versions and their follow
// patterns match a group (else a warning); promotions name existing versions;
// variants (endpoint-traffic documents) belong to an existing endpoint, parse,
// and name existing versions (a version no longer Approved is a warning: the
// servers route around it).
Status CheckRegistry(store::StoreReader& rows, const std::string& where, DoctorReport* report);

// Adds "artifact-not-recorded" when `digest` names no artifact row.
Status CheckRecorded(store::StoreReader& rows, const std::string& digest, const std::string& what,
                     const std::string& where, DoctorReport* report);

}  // namespace grove::app
