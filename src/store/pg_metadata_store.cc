#include "store/pg_metadata_store.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <chrono>

#include "common/child_process.h"
#include "store/pg_connection.h"
#include "store/schema_migrations.h"
#include "store/sql_transaction.h"

namespace grove::store {

namespace {

// The advisory lock every write transaction takes ("grove" in ASCII).
constexpr const char* kWriteLock = "SELECT pg_advisory_xact_lock(435459797605)";
constexpr const char* kChannel = "grove_events";
constexpr size_t kMaxIdle = 8;

// The database `url` names, from libpq's own parse; empty when it names none.
std::string DatabaseOf(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  PQfreemem(error);
  std::string database;
  for (PQconninfoOption* o = options; o != nullptr && o->keyword != nullptr; ++o) {
    if (std::string(o->keyword) == "dbname" && o->val != nullptr) database = o->val;
  }
  PQconninfoFree(options);
  return database;
}

std::string QuotedIdentifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// Creates `database` through the server's `postgres` database. Another
// process creating it at the same moment is no error.
Status CreateDatabase(const std::string& url, const std::string& database, const std::string& name) {
  const char* keywords[] = {"dbname", "dbname", nullptr};
  const char* values[] = {url.c_str(), "postgres", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    Status error = PgConnectError(conn, name + " (to create its database)");
    PQfinish(conn);
    return error;
  }
  std::string sql = "CREATE DATABASE " + QuotedIdentifier(database);
  PGresult* result = PQexec(conn, sql.c_str());
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  // 42P04: it exists; 23505: another session created it a moment ago.
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK ||
            (state != nullptr && (std::string(state) == "42P04" || std::string(state) == "23505"));
  std::string detail = PQresultErrorMessage(result);
  PQclear(result);
  PQfinish(conn);
  if (ok) return Status::OK();
  while (!detail.empty() && detail.back() == '\n') detail.pop_back();
  return Status::IOError("cannot create database " + database + " for metadata store " + name + ": " + detail);
}

}  // namespace

std::string RedactedUrl(const std::string& url) {
  size_t scheme = url.find("://");
  size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

Result<std::unique_ptr<PgMetadataStore>> PgMetadataStore::Open(const std::string& url,
                                                               const MetadataStoreOptions& options) {
  std::unique_ptr<PgMetadataStore> store(new PgMetadataStore(url, RedactedUrl(url), options));
  auto first = PgConnection::Open(url, store->name_);
  if (!first.ok() && first.status().message().find("does not exist") != std::string::npos) {
    std::string database = DatabaseOf(url);
    if (database.empty()) return first.status();
    RETURN_IF_ERROR(CreateDatabase(url, database, store->name_));
    first = PgConnection::Open(url, store->name_);
  }
  if (!first.ok()) return first.status();
  store->Release(std::move(first).value());
  const Clock* clock = options.clock != nullptr ? options.clock : SystemClock::Default();
  RETURN_IF_ERROR(Migrate([&](const auto& body) { return store->WriteSql(body); }, SchemaMigrations(), clock->Now()));
  return store;
}

PgMetadataStore::PgMetadataStore(std::string url, std::string name, const MetadataStoreOptions& options)
    : MetadataStore(options), url_(std::move(url)), name_(std::move(name)) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

PgMetadataStore::~PgMetadataStore() {
  stopping_ = true;
  uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof(one));
  if (listener_.joinable()) listener_.join();
  ::close(wake_fd_);
}

Result<std::unique_ptr<PgConnection>> PgMetadataStore::Acquire() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
  }
  return PgConnection::Open(url_, name_);
}

void PgMetadataStore::Release(std::unique_ptr<PgConnection> conn) {
  if (!conn->healthy()) return;
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (idle_.size() < kMaxIdle) idle_.push_back(std::move(conn));
}

Status PgMetadataStore::InTransaction(const char* begin, const std::function<Status(PgConnection&)>& body) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, Acquire());
  Status started = conn->Run(begin);
  if (!started.ok() && !conn->healthy()) {
    // A pooled connection the server closed (a restart, an idle timeout): try once on a fresh one.
    ASSIGN_OR_RETURN(conn, PgConnection::Open(url_, name_));
    started = conn->Run(begin);
  }
  RETURN_IF_ERROR(started);
  Status s;
  {
    // Rolls back on any error, and on an exception escaping `body`.
    struct RollbackGuard {
      PgConnection* conn;
      ~RollbackGuard() {
        if (conn != nullptr) (void)conn->Run("ROLLBACK");
      }
    } guard{conn.get()};
    s = body(*conn);
    if (s.ok()) s = conn->Run("COMMIT");
    if (s.ok()) guard.conn = nullptr;
  }
  Release(std::move(conn));
  return s;
}

Status PgMetadataStore::Transact(const std::function<Status(StoreTransaction&)>& body) {
  return InTransaction("BEGIN", [&](PgConnection& conn) -> Status {
    RETURN_IF_ERROR(conn.Run(kWriteLock));
    SqlTransaction txn(&conn);
    RETURN_IF_ERROR(body(txn));
    // Delivered to listeners (this process's too) when the transaction commits.
    if (txn.appended_events() > 0) RETURN_IF_ERROR(conn.Run("NOTIFY grove_events"));
    return Status::OK();
  });
}

Status PgMetadataStore::TransactClaims(const std::function<Status(StoreTransaction&)>& body) {
  return InTransaction("BEGIN", [&](PgConnection& conn) {
    SqlTransaction txn(&conn, /*ordered=*/false);
    return body(txn);
  });
}

Status PgMetadataStore::Read(const std::function<Status(StoreReader&)>& body) {
  return ReadSql([&](SqlConnection& conn) {
    SqlTransaction txn(&conn);
    return body(txn);
  });
}

Status PgMetadataStore::WriteSql(const std::function<Status(SqlConnection&)>& body) {
  return InTransaction("BEGIN", [&](PgConnection& conn) -> Status {
    RETURN_IF_ERROR(conn.Run(kWriteLock));
    return body(conn);
  });
}

Status PgMetadataStore::ReadSql(const std::function<Status(SqlConnection&)>& body) {
  return InTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", body);
}

Result<std::string> PgMetadataStore::Backup(const std::filesystem::path& file) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) return Status::AlreadyExists("backup file " + file.string() + " exists");
  auto dumped = RunChildProcess({"pg_dump", "--format=custom", "--no-owner", "--file=" + file.string(),
                                 "--dbname=" + url_});
  if (!dumped.ok()) {
    return Status::FailedPrecondition("cannot run pg_dump to back up " + name_ + " (" + dumped.status().message() +
                                      "): install PostgreSQL's client tools (Debian: postgresql-client)");
  }
  if (dumped->exit_code != 0) {
    return Status::IOError("pg_dump of " + name_ + " exited " + std::to_string(dumped->exit_code) + ": " +
                           dumped->err);
  }
  return std::string(kBackupPgDump);
}

void PgMetadataStore::OnFirstSubscriber() {
  if (listener_.joinable()) return;
  listener_ = std::thread([this] { Listen(); });
}

void PgMetadataStore::Listen() {
  while (!stopping_) {
    auto conn = PgConnection::Open(url_, name_);
    Status listening = conn.ok() ? (*conn)->Run((std::string("LISTEN ") + kChannel).c_str()) : conn.status();
    if (listening.ok()) {
      // Events committed while no one listened (at the start, or while reconnecting) are found at once.
      NotifyEventSubscribers();
      PGconn* raw = (*conn)->raw();
      while (!stopping_ && (*conn)->healthy()) {
        pollfd fds[] = {{PQsocket(raw), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
        if (::poll(fds, 2, 1000) <= 0 || (fds[0].revents & POLLIN) == 0) continue;
        if (PQconsumeInput(raw) == 0) break;
        bool woken = false;
        while (PGnotify* n = PQnotifies(raw)) {
          woken = true;
          PQfreemem(n);
        }
        if (woken) NotifyEventSubscribers();
      }
    }
    // The server is away: followers fall back on their polls; try again shortly.
    for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace grove::store
