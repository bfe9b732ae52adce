#include "events/hook_deliverer.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <set>

#include "events/event_types.h"

namespace grove::events {

namespace {

constexpr int kScanPage = 200;

int64_t LowestCursor(const std::vector<HookRecord>& hooks) {
  int64_t lowest = hooks.front().cursor;
  for (const HookRecord& h : hooks) lowest = std::min(lowest, h.cursor);
  return lowest;
}

}  // namespace

struct HookDeliverer::Worker {
  std::string hook;
  std::atomic<bool> stop{false};
  std::atomic<bool> done{false};
  std::thread thread;
};

bool HookMatches(const HookSpec& spec, const Json& event) {
  if (!GlobMatch(spec.on, event.value("type", ""))) return false;
  for (const auto& [field, glob] : spec.where) {
    if (!event.contains(field) || !GlobMatch(glob, FieldText(event, field))) return false;
  }
  return true;
}

TimeMs BackoffAfter(int failures, const HookDelivererOptions& options) {
  TimeMs wait = options.backoff_ms;
  for (int i = 1; i < failures && wait < options.max_backoff_ms; ++i) wait *= 2;
  return std::min(wait, options.max_backoff_ms);
}

HookDeliverer::HookDeliverer(store::MetadataStore* metadata, HookTargets* targets, const Clock* clock,
                             HookDelivererOptions options)
    : metadata_(metadata), targets_(targets), clock_(clock), options_(std::move(options)) {}

HookDeliverer::~HookDeliverer() { Stop(); }

Result<int> HookDeliverer::ScanEvents() {
  int made = 0;
  while (true) {
    // A read first, so an idle log costs no write transaction.
    ASSIGN_OR_RETURN(bool behind, store::ReadValue(*metadata_, [&](store::StoreReader& rows) -> Result<bool> {
                       ASSIGN_OR_RETURN(std::vector<HookRecord> hooks, ListHookRecords(rows));
                       if (hooks.empty()) return false;
                       ASSIGN_OR_RETURN(std::vector<store::EventRecord> next, rows.ListEvents(LowestCursor(hooks), 1));
                       return !next.empty();
                     }));
    if (!behind) return made;
    ASSIGN_OR_RETURN(int page, store::TransactValue(*metadata_, [&](store::StoreTransaction& txn) -> Result<int> {
                       ASSIGN_OR_RETURN(std::vector<HookRecord> hooks, ListHookRecords(txn));
                       if (hooks.empty()) return 0;
                       ASSIGN_OR_RETURN(std::vector<store::EventRecord> events,
                                        txn.ListEvents(LowestCursor(hooks), kScanPage));
                       if (events.empty()) return 0;
                       const TimeMs now = clock_->Now();
                       int n = 0;
                       for (const store::EventRecord& e : events) {
                         std::optional<Json> event = ToPublicEvent(e, &txn);
                         if (!event) continue;
                         for (const HookRecord& hook : hooks) {
                           if (hook.cursor >= e.seq || !HookMatches(hook.spec, *event)) continue;
                           ASSIGN_OR_RETURN(std::optional<HookDelivery> existing, FindDelivery(txn, hook.spec.name, e.seq));
                           if (existing) continue;
                           ASSIGN_OR_RETURN(HookDelivery d, NewDelivery(hook.spec.name, e.seq, *event));
                           d.next_at = now;
                           RETURN_IF_ERROR(PutDelivery(txn, d, now));
                           ++n;
                         }
                       }
                       for (HookRecord& hook : hooks) {
                         if (hook.cursor >= events.back().seq) continue;
                         hook.cursor = events.back().seq;
                         RETURN_IF_ERROR(PutHookRecord(txn, hook));
                       }
                       return n;
                     }));
    made += page;
  }
}

Result<int> HookDeliverer::Attempt(const HookRecord& hook, int64_t seq) {
  ASSIGN_OR_RETURN(std::optional<HookDelivery> due, store::ReadValue(*metadata_, [&](store::StoreReader& rows) {
                     return FindDelivery(rows, hook.spec.name, seq);
                   }));
  if (!due || due->status != kDeliveryPending || due->next_at > clock_->Now()) return 0;
  HookAttempt attempt;
  std::string secret = hook.secret;
  const char* from_env = hook.spec.secret_env.empty() ? nullptr : std::getenv(hook.spec.secret_env.c_str());
  if (!hook.spec.secret_env.empty() && (from_env == nullptr || *from_env == '\0')) {
    attempt = {0, false, "error", "the signing secret's environment variable " + hook.spec.secret_env +
                                      " is not set where the server runs"};
  } else {
    if (from_env != nullptr) secret = from_env;
    attempt = targets_->Deliver({&hook.spec, due->id, secret, &due->event});
  }
  attempt.at = clock_->Now();
  ASSIGN_OR_RETURN(std::optional<HookDelivery> after,
                   store::TransactValue(*metadata_, [&](store::StoreTransaction& txn) -> Result<std::optional<HookDelivery>> {
                     ASSIGN_OR_RETURN(std::optional<HookDelivery> d, FindDelivery(txn, hook.spec.name, seq));
                     if (!d || d->status != kDeliveryPending) return std::optional<HookDelivery>();  // Deleted meanwhile.
                     d->history.push_back(attempt);
                     ++d->attempts;
                     if (attempt.ok) {
                       d->status = kDeliveryDelivered;
                     } else if (d->attempts >= hook.spec.max_attempts) {
                       d->status = kDeliveryDead;
                     } else {
                       d->next_at = attempt.at + BackoffAfter(d->attempts, options_);
                     }
                     RETURN_IF_ERROR(PutDelivery(txn, *d, attempt.at));
                     return d;
                   }));
  if (after && options_.on_attempt) options_.on_attempt(*after, attempt);
  return 1;
}

Result<int> HookDeliverer::DeliverDue(const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<HookRecord> hook, store::ReadValue(*metadata_, [&](store::StoreReader& rows) {
                     return FindHookRecord(rows, name);
                   }));
  if (!hook) return 0;
  ASSIGN_OR_RETURN(std::vector<int64_t> seqs, store::ReadValue(*metadata_, [&](store::StoreReader& rows) {
                     return ListDueSeqs(rows, name);
                   }));
  int attempts = 0;
  for (int64_t seq : seqs) {
    if (Stopping()) break;  // Stop waits for the attempt in flight only.
    ASSIGN_OR_RETURN(int n, Attempt(*hook, seq));
    attempts += n;
  }
  return attempts;
}

Result<int> HookDeliverer::RunOnce() {
  RETURN_IF_ERROR(ScanEvents().status());
  ASSIGN_OR_RETURN(std::vector<HookRecord> hooks, store::ReadValue(*metadata_, [&](store::StoreReader& rows) {
                     return ListHookRecords(rows);
                   }));
  int attempts = 0;
  for (const HookRecord& hook : hooks) {
    ASSIGN_OR_RETURN(int n, DeliverDue(hook.spec.name));
    attempts += n;
  }
  return attempts;
}

void HookDeliverer::Start(std::function<void(const Status&)> on_error) {
  on_error_ = std::move(on_error);
  scanner_ = std::thread([this] { ScanLoop(); });
}

void HookDeliverer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (scanner_.joinable()) scanner_.join();
  for (auto& [name, worker] : workers_) {
    if (worker->thread.joinable()) worker->thread.join();
  }
  workers_.clear();
}

void HookDeliverer::Report(const Status& s) {
  if (!s.ok() && on_error_) on_error_(s);
}

bool HookDeliverer::Stopping() {
  std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

bool HookDeliverer::Sleep(std::chrono::milliseconds poll) {
  std::unique_lock<std::mutex> lock(mutex_);
  wake_.wait_for(lock, poll, [this] { return stopping_; });
  return !stopping_;
}

void HookDeliverer::ScanLoop() {
  do {
    Report(ScanEvents().status());
    Result<std::vector<HookRecord>> hooks = store::ReadValue(*metadata_, [&](store::StoreReader& rows) {
      return ListHookRecords(rows);
    });
    if (hooks.ok()) SyncWorkers(*hooks);
    else Report(hooks.status());
  } while (Sleep(options_.poll));
}

void HookDeliverer::SyncWorkers(const std::vector<HookRecord>& hooks) {
  std::set<std::string> names;
  for (const HookRecord& h : hooks) names.insert(h.spec.name);
  for (auto it = workers_.begin(); it != workers_.end();) {
    Worker& w = *it->second;
    if (!names.count(w.hook)) w.stop = true;
    // A worker ends only when told to; one whose hook was deleted is joined once its attempt in flight ends.
    if (w.done && w.thread.joinable()) {
      w.thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
  for (const std::string& name : names) {
    if (workers_.count(name)) continue;
    auto worker = std::make_unique<Worker>();
    worker->hook = name;
    Worker* raw = worker.get();
    worker->thread = std::thread([this, raw] { WorkerLoop(raw); });
    workers_[name] = std::move(worker);
  }
}

void HookDeliverer::WorkerLoop(Worker* worker) {
  while (!worker->stop) {
    Result<int> n = DeliverDue(worker->hook);
    Report(n.status());
    if (!Sleep(options_.poll)) break;
  }
  worker->done = true;
}

}  // namespace grove::events
