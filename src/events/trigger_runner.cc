#include "events/trigger_runner.h"

#include <sys/stat.h>

#include "store/object_records.h"
#include "events/trigger_records.h"
#include "store/trigger_firing_records.h"

namespace grove::events {

namespace {

struct FileState {
  int64_t size = 0;
  int64_t mtime_ns = 0;
};

std::optional<FileState> StatFile(const std::filesystem::path& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return FileState{static_cast<int64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

std::filesystem::path Normalized(const std::filesystem::path& given) {
  std::error_code ec;
  std::filesystem::path p = std::filesystem::absolute(given, ec).lexically_normal();
  if (!p.empty() && p.filename().empty()) p = p.parent_path();
  return p;
}

void Keep(Status* first, const Status& s) {
  if (first->ok() && !s.ok()) *first = s;
}

}  // namespace

Result<std::string> FileIdentity(const std::filesystem::path& path) {
  std::optional<FileState> state = StatFile(path);
  if (!state) return Status::NotFound(path.string() + " is gone");
  return path.string() + "|" + std::to_string(state->size) + "|" + std::to_string(state->mtime_ns);
}

TriggerRunner::TriggerRunner(store::MetadataStore* metadata, TriggerActions* actions, FolderWatcher* watcher,
                             const Clock* clock, TriggerRunnerOptions options)
    : metadata_(metadata), actions_(actions), watcher_(watcher), clock_(clock), options_(std::move(options)) {
  for (const std::filesystem::path& root : options_.roots) roots_.push_back(Normalized(root));
}

TriggerRunner::~TriggerRunner() { Stop(); }

Status TriggerRunner::Recover() {
  for (const std::filesystem::path& root : roots_) {
    std::error_code ec;
    std::filesystem::create_directories(root, ec);
    if (ec) return Status::IOError("creating watched folder " + root.string() + ": " + ec.message());
    if (watcher_ != nullptr) RETURN_IF_ERROR(watcher_->Watch(root));
  }
  RETURN_IF_ERROR(LoadTriggers());
  ASSIGN_OR_RETURN(std::vector<store::TriggerFiringRecord> incomplete,
                   store::ReadValue(*metadata_, [](store::StoreReader& rows) {
                     return store::ListIncompleteFirings(rows);
                   }));
  Status first;
  for (const store::TriggerFiringRecord& claimed : incomplete) {
    Result<TriggerSpec> spec = GetTrigger(claimed.trigger);
    if (!spec.ok()) {
      Keep(&first, metadata_->Transact([&](store::StoreTransaction& txn) {
        return store::CompleteFiring(txn, claimed,
                                     {store::kFiringFailed, "", 0, "the trigger is gone: " + spec.status().message()},
                                     clock_->Now())
            .status();
      }));
      continue;
    }
    Keep(&first, Act(*spec, claimed));
  }
  for (const std::filesystem::path& root : roots_) Rescan(root);
  last_refresh_ = clock_->Now();
  return first;
}

Result<TriggerSpec> TriggerRunner::GetTrigger(const std::string& name) { return events::GetTrigger(*metadata_, name); }

Status TriggerRunner::LoadTriggers() {
  ASSIGN_OR_RETURN(std::vector<TriggerSpec> all, ListTriggers(*metadata_));
  std::map<std::string, TriggerSpec> active;
  bool new_watch = false;
  const TimeMs now = clock_->Now();
  Status first;
  for (TriggerSpec& spec : all) {
    if (spec.paused) continue;
    if (!spec.watch.empty() && !triggers_.count(spec.name)) new_watch = true;
    if (!spec.schedule.empty()) {
      auto it = schedules_.find(spec.name);
      if (it == schedules_.end() || it->second.cron.text() != spec.schedule) {
        Result<CronSchedule> cron = CronSchedule::Parse(spec.schedule);
        Result<TimeMs> next = cron.ok() ? cron->Next(now) : Result<TimeMs>(cron.status());
        if (!next.ok()) {
          Keep(&first, next.status().WithContext("trigger " + spec.name));
          continue;
        }
        schedules_.insert_or_assign(spec.name, Schedule{*cron, *next});
      }
    }
    active.emplace(spec.name, std::move(spec));
  }
  for (auto it = schedules_.begin(); it != schedules_.end();) {
    it = active.count(it->first) ? std::next(it) : schedules_.erase(it);
  }
  const bool first_load = last_refresh_ < 0;
  triggers_ = std::move(active);
  // A trigger created or resumed while running sees the files already there, as one loaded at start does.
  if (new_watch && !first_load) {
    for (const std::filesystem::path& root : roots_) Rescan(root);
  }
  return first;
}

void TriggerRunner::Rescan(const std::filesystem::path& root) {
  std::error_code ec;
  for (std::filesystem::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    pending_.try_emplace(it->path(), Pending{root});
  }
}

void TriggerRunner::OnEvents(const std::vector<FileEvent>& events) {
  for (const FileEvent& e : events) {
    if (e.kind == FileEvent::Kind::kRescan) {
      Rescan(Normalized(e.root));
      continue;
    }
    Pending& p = pending_.try_emplace(e.path, Pending{Normalized(e.root)}).first->second;
    if (e.kind == FileEvent::Kind::kMovedIn) p.moved_in = true;
  }
}

int TriggerRunner::SettleMsFor(const std::string& relative) const {
  int settle = -1;
  for (const auto& [name, spec] : triggers_) {
    if (spec.watch.empty()) continue;
    Result<WatchPattern> pattern = WatchPattern::Parse(spec.watch);
    if (pattern.ok() && pattern->Match(relative)) settle = std::max(settle, spec.settle_ms);
  }
  return settle;
}

Status TriggerRunner::SettleFiles(TimeMs now) {
  Status first;
  for (auto it = pending_.begin(); it != pending_.end();) {
    const std::filesystem::path& path = it->first;
    Pending& p = it->second;
    const std::string relative = path.lexically_relative(p.root).generic_string();
    const int settle = SettleMsFor(relative);
    std::optional<FileState> state = StatFile(path);
    if (!state || settle < 0) {  // Gone, or no trigger wants it.
      it = pending_.erase(it);
      continue;
    }
    if (state->size != p.size || state->mtime_ns != p.mtime_ns) {
      p.size = state->size;
      p.mtime_ns = state->mtime_ns;
      p.stable_since = now;
      if (!p.moved_in) {
        ++it;
        continue;
      }
    }
    if (!p.moved_in && now - p.stable_since < settle) {
      ++it;
      continue;
    }
    const std::string identity =
        path.string() + "|" + std::to_string(p.size) + "|" + std::to_string(p.mtime_ns);
    Keep(&first, Arrived(relative, path.string(), identity, "", true));
    it = pending_.erase(it);
  }
  return first;
}

Status TriggerRunner::Arrived(const std::string& relative, const std::string& path, const std::string& identity,
                              const std::string& bucket, bool local) {
  Status first;
  for (const auto& [name, spec] : triggers_) {
    if (spec.watch.empty() || (!local && !spec.bucket.empty() && spec.bucket != bucket)) continue;
    Result<WatchPattern> pattern = WatchPattern::Parse(spec.watch);
    if (!pattern.ok()) continue;
    std::optional<std::map<std::string, std::string>> bound = pattern->Match(relative);
    if (!bound) continue;
    std::map<std::string, std::string> values = std::move(*bound);
    values["path"] = path;
    values["file"] = relative.substr(relative.rfind('/') + 1);
    Keep(&first, Fire(spec, std::move(values), path, identity));
  }
  return first;
}

Status TriggerRunner::PollS3() {
  if (!options_.watch_s3) return Status::OK();
  bool any = false;
  for (const auto& [name, spec] : triggers_) any = any || !spec.watch.empty();
  if (!any) return Status::OK();
  return metadata_->Read([&](store::StoreReader& rows) -> Status {
    ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> buckets, rows.ListResources(store::kBucketKind, "", "", 0));
    for (const store::ResourceRecord& bucket : buckets) {
      std::set<std::string> prefixes;
      for (const auto& [name, spec] : triggers_) {
        if (spec.watch.empty() || (!spec.bucket.empty() && spec.bucket != bucket.name)) continue;
        Result<WatchPattern> pattern = WatchPattern::Parse(spec.watch);
        if (pattern.ok()) prefixes.insert(pattern->StaticPrefix());
      }
      for (const std::string& prefix : prefixes) {
        ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> objects,
                         rows.ListResources(store::ObjectKind(bucket.name), prefix, "", 0));
        for (const store::ResourceRecord& object : objects) {
          const std::string uri = "s3://" + bucket.name + "/" + object.name;
          const std::string identity =
              uri + "|" + object.body.value("etag", "") + "|" + std::to_string(object.updated_at);
          if (!seen_objects_.insert(identity).second) continue;
          s3_arrivals_.push_back({object.name, uri, identity, bucket.name});
        }
      }
    }
    return Status::OK();
  });
}

Status TriggerRunner::Fire(const TriggerSpec& spec, std::map<std::string, std::string> values, const std::string& path,
                           const std::string& identity) {
  values["trigger"] = spec.name;
  store::TriggerFiringRecord firing;
  firing.trigger = spec.name;
  firing.identity = identity;
  firing.path = path;
  Status expanded;
  for (const auto& [key, text] : spec.queue ? spec.queue_target : spec.parameters) {
    Result<std::string> value = ExpandTemplate(text, values);
    if (value.ok()) {
      firing.parameters[key] = *value;
    } else {
      Keep(&expanded, value.status().WithContext(key));
    }
  }
  const TimeMs now = clock_->Now();
  ASSIGN_OR_RETURN(std::optional<store::TriggerFiringRecord> claimed,
                   store::TransactValue(*metadata_, [&](store::StoreTransaction& txn) {
                     return store::ClaimFiring(txn, firing, now);
                   }));
  if (!claimed) return Status::OK();  // Fired before (or by another process): nothing to do.
  if (!expanded.ok()) return Complete(*claimed, {store::kFiringFailed, "", 0, expanded.message()});
  return Act(spec, *claimed);
}

Status TriggerRunner::Act(const TriggerSpec& spec, const store::TriggerFiringRecord& claimed) {
  std::map<std::string, std::string> arguments;
  for (const auto& [key, value] : claimed.parameters.items()) {
    arguments[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  store::FiringOutcome outcome;
  if (spec.queue) {
    Result<int> rows = actions_->QueueFile(claimed.path, arguments, claimed.id);
    outcome = rows.ok() ? store::FiringOutcome{store::kFiringQueued, "", *rows, ""}
                        : store::FiringOutcome{store::kFiringFailed, "", 0, rows.status().ToString()};
  } else {
    Result<std::string> id = actions_->StartPipeline(spec, arguments, claimed.id);
    outcome = id.ok() ? store::FiringOutcome{store::kFiringStarted, *id, 0, ""}
                      : store::FiringOutcome{store::kFiringFailed, "", 0, id.status().ToString()};
  }
  return Complete(claimed, outcome);
}

Status TriggerRunner::Complete(const store::TriggerFiringRecord& claimed, const store::FiringOutcome& outcome) {
  ASSIGN_OR_RETURN(store::TriggerFiringRecord done,
                   store::TransactValue(*metadata_, [&](store::StoreTransaction& txn) {
                     return store::CompleteFiring(txn, claimed, outcome, clock_->Now());
                   }));
  if (options_.on_fired) options_.on_fired(done);
  return Status::OK();
}

Status TriggerRunner::FireSchedules(TimeMs now) {
  Status first;
  for (auto it = schedules_.begin(); it != schedules_.end();) {
    Schedule& schedule = it->second;
    if (now < schedule.next) {
      ++it;
      continue;
    }
    const std::string slot = FormatIso8601(schedule.next);
    auto spec = triggers_.find(it->first);
    if (spec != triggers_.end()) Keep(&first, Fire(spec->second, {{"time", slot}}, "", "schedule|" + slot));
    Result<TimeMs> next = schedule.cron.Next(now);  // Slots missed while busy or down are not caught up.
    if (!next.ok()) {
      Keep(&first, next.status().WithContext("trigger " + it->first));
      it = schedules_.erase(it);
      continue;
    }
    schedule.next = *next;
    ++it;
  }
  return first;
}

Status TriggerRunner::Tick() {
  const TimeMs now = clock_->Now();
  Status first;
  if (last_refresh_ < 0 || now - last_refresh_ >= options_.refresh_ms) {
    last_refresh_ = now;
    Keep(&first, LoadTriggers());
    Keep(&first, PollS3());
    for (const S3Arrival& a : s3_arrivals_) Keep(&first, Arrived(a.key, a.uri, a.identity, a.bucket, false));
    s3_arrivals_.clear();
  }
  Keep(&first, SettleFiles(now));
  Keep(&first, FireSchedules(now));
  return first;
}

Status TriggerRunner::Start(std::function<void(const Status&)> on_error) {
  RETURN_IF_ERROR(Recover());
  stopping_ = false;
  thread_ = std::thread([this, on_error] { Loop(on_error); });
  return Status::OK();
}

void TriggerRunner::Loop(std::function<void(const Status&)> on_error) {
  auto report = [&](const Status& s) {
    if (!s.ok() && on_error) on_error(s);
  };
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    if (watcher_ != nullptr) {
      Result<std::vector<FileEvent>> events = watcher_->Poll(options_.poll);
      if (events.ok()) {
        OnEvents(*events);
      } else {
        report(events.status());
      }
    } else {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, options_.poll, [this] { return stopping_; });
    }
    report(Tick());
  }
}

void TriggerRunner::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace grove::events
