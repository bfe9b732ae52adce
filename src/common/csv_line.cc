#include "common/csv_line.h"

namespace grove {

bool SplitCsvLine(std::string_view line, std::vector<std::string>* cells) {
  cells->clear();
  size_t i = 0;
  while (true) {
    std::string cell;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            cell.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        cell.push_back(line[i++]);
      }
      while (i < line.size() && line[i] != ',') cell.push_back(line[i++]);  // Text after the closing quote.
    } else {
      size_t comma = line.find(',', i);
      size_t end = comma == std::string_view::npos ? line.size() : comma;
      cell.assign(line.substr(i, end - i));
      i = end;
    }
    cells->push_back(std::move(cell));
    if (i >= line.size()) return true;
    ++i;  // The comma.
  }
}

}  // namespace grove
