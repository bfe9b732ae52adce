#include "store/pg_dialect.h"

#include <cctype>
#include <regex>

namespace grove::store {

namespace {

// Replaces whole-word, case-sensitive `word` outside quotes with `with`.
std::string ReplaceWord(const std::string& text, const std::string& word, const std::string& with) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
      ++i;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      ++i;
      continue;
    }
    auto is_word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
    if (text.compare(i, word.size(), word) == 0 && (i == 0 || !is_word(text[i - 1])) &&
        (i + word.size() == text.size() || !is_word(text[i + word.size()]))) {
      out += with;
      i += word.size();
      continue;
    }
    out += c;
    ++i;
  }
  return out;
}

// Adds `rowid BIGSERIAL` to each CREATE TABLE without WITHOUT ROWID, and drops WITHOUT ROWID.
std::string AddRowids(const std::string& ddl) {
  static const std::regex kCreate(R"((CREATE TABLE (?:IF NOT EXISTS )?[a-z_]+ \())", std::regex::icase);
  std::string out;
  size_t at = 0;
  for (auto it = std::sregex_iterator(ddl.begin(), ddl.end(), kCreate); it != std::sregex_iterator(); ++it) {
    size_t start = static_cast<size_t>(it->position(0));
    size_t body = start + static_cast<size_t>(it->length(0));
    // The table's closing parenthesis: the first ')' at depth 0 after the opening one.
    int depth = 1;
    size_t close = body;
    for (; close < ddl.size() && depth > 0; ++close) {
      if (ddl[close] == '(') ++depth;
      if (ddl[close] == ')') --depth;
    }
    const std::string kWithoutRowid = " WITHOUT ROWID";
    bool without_rowid = ddl.compare(close, kWithoutRowid.size(), kWithoutRowid) == 0;
    out.append(ddl, at, body - at);
    if (!without_rowid) out += "\n  rowid BIGSERIAL,";
    out.append(ddl, body, close - body);
    at = without_rowid ? close + kWithoutRowid.size() : close;
  }
  out.append(ddl, at, std::string::npos);
  return out;
}

}  // namespace

std::string PgQuery(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  char quote = 0;
  int n = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string PgSchema(std::string_view ddl) {
  std::string out = AddRowids(std::string(ddl));
  out = std::regex_replace(out, std::regex(R"(INTEGER PRIMARY KEY AUTOINCREMENT)"), "BIGSERIAL PRIMARY KEY");
  out = ReplaceWord(out, "INTEGER", "BIGINT");
  out = ReplaceWord(out, "REAL", "DOUBLE PRECISION");
  out = ReplaceWord(out, "TEXT", "TEXT COLLATE \"C\"");
  return PgQuery(out);
}

}  // namespace grove::store
