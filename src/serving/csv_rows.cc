#include "serving/csv_rows.h"

namespace grove::serving {

Result<bool> CsvRowReader::Next(std::vector<std::string_view>* cells) {
  cells->clear();
  unescaped_.clear();
  // Skip blank lines.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) ++pos_;
  if (pos_ >= text_.size()) return false;
  ++row_;
  while (true) {
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ASSIGN_OR_RETURN(std::string_view cell, QuotedCell());
      cells->push_back(cell);
    } else {
      size_t end = pos_;  // A loop, not find_first_of: libstdc++'s calls memchr once per character.
      while (end < text_.size() && text_[end] != ',' && text_[end] != '\n') ++end;
      std::string_view cell = text_.substr(pos_, end - pos_);
      if (!cell.empty() && cell.back() == '\r' && (end == text_.size() || text_[end] == '\n')) cell.remove_suffix(1);
      cells->push_back(cell);
      pos_ = end;
    }
    if (pos_ >= text_.size()) return true;
    if (text_[pos_] == '\n') {
      ++pos_;
      return true;
    }
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') {
      pos_ += 2;
      return true;
    }
    if (text_[pos_] != ',') {
      return Status::InvalidArgument("row " + std::to_string(row_) + ", column " + std::to_string(cells->size()) +
                                     ": unexpected text after a closing quote");
    }
    ++pos_;  // The comma; another cell follows (possibly empty at the end of the row).
  }
}

Result<std::string_view> CsvRowReader::QuotedCell() {
  size_t start = ++pos_;
  bool escaped = false;
  while (true) {
    size_t quote = text_.find('"', pos_);
    if (quote == std::string_view::npos) {
      return Status::InvalidArgument("row " + std::to_string(row_) + ": a quoted cell is not closed");
    }
    if (quote + 1 < text_.size() && text_[quote + 1] == '"') {
      escaped = true;
      pos_ = quote + 2;
      continue;
    }
    pos_ = quote + 1;
    std::string_view raw = text_.substr(start, quote - start);
    if (!escaped) return raw;
    std::string& out = unescaped_.emplace_back();
    for (size_t i = 0; i < raw.size(); ++i) {
      out += raw[i];
      if (raw[i] == '"') ++i;  // Skip the second quote of "".
    }
    return std::string_view(out);
  }
}

}  // namespace grove::serving
