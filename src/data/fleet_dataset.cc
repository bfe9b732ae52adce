#include "data/fleet_dataset.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

#include "common/csv_line.h"
#include "common/file_util.h"
#include "common/random.h"

namespace grove::data {

namespace {

namespace fs = std::filesystem;

constexpr const char* kNumeric[] = {"Account Length", "VMail Message", "Day Mins",   "Day Calls",
                                    "Eve Mins",       "Eve Calls",     "Night Mins", "Night Calls",
                                    "Intl Mins",      "Intl Calls",    "CustServ Calls"};
constexpr const char* kOneHot[] = {"State", "Area Code", "Int'l Plan", "VMail Plan"};
constexpr const char* kScaled[] = {"Day Mins", "Eve Mins", "Night Mins", "Intl Mins"};

std::vector<std::string> SplitLine(const std::string& line) {
  std::vector<std::string> cells;
  SplitCsvLine(line, &cells);
  return cells;
}

std::string JoinLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) out += (i ? "," : "") + fields[i];
  return out;
}

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.10g", v);
  return buf;
}

// "1.0" / "0.0" and "145.0": the preprocessed files write floats as pandas does.
std::string Float(double v) {
  std::string s = Number(v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

}  // namespace

Status MakeFleet(const fs::path& churn_csv, const FleetOptions& options, const fs::path& out) {
  if (options.dims < 1) return Status::InvalidArgument("--dims: expected at least 1, got " + std::to_string(options.dims));
  ASSIGN_OR_RETURN(std::string text, ReadFile(churn_csv));
  std::vector<std::string> lines;
  for (size_t start = 0; start < text.size();) {
    size_t end = std::min(text.find('\n', start), text.size());
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  if (lines.size() < 2) return Status::InvalidArgument(churn_csv.string() + ": no data rows");
  const std::vector<std::string> header = SplitLine(lines[0]);
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  for (const char* name : {"Churn?", "State", "Area Code", "Int'l Plan", "VMail Plan", "Day Mins"}) {
    if (!column.count(name)) return Status::InvalidArgument(churn_csv.string() + ":1: no column '" + name + "'");
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 1; i < lines.size(); ++i) {
    rows.push_back(SplitLine(lines[i]));
    if (rows.back().size() != header.size()) {
      return Status::InvalidArgument(churn_csv.string() + ":" + std::to_string(i + 1) + ": " +
                                     std::to_string(rows.back().size()) + " fields, the header has " +
                                     std::to_string(header.size()));
    }
  }
  const size_t per_dim = std::min<size_t>(std::max(1, options.rows), rows.size());

  std::string fleet = "Dimension," + lines[0] + "\n";
  for (int d = 1; d <= options.dims; ++d) {
    const std::string dim = "DummyDim" + std::to_string(d);
    const double scale = 1 + 0.02 * ((d - 1) % 10);
    std::vector<size_t> order(rows.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::mt19937_64 rng(options.seed + static_cast<uint64_t>(d));
    ShuffleIndices(&order, &rng);
    order.resize(per_dim);
    std::vector<std::vector<std::string>> dim_rows;
    std::string training = "Dimension," + lines[0] + "\n";
    for (size_t r : order) {
      std::vector<std::string> row = rows[r];
      for (const char* name : kScaled) row[column[name]] = Number(std::stod(row[column[name]]) * scale);
      std::string line = dim + "," + JoinLine(row) + "\n";
      training += line;
      fleet += line;
      dim_rows.push_back(std::move(row));
    }
    // Inference rows in the preprocessed layout, categories as this dimension's training rows hold them.
    std::vector<std::string> out_header = {"Churn?_True."};
    for (const char* name : kNumeric) out_header.push_back(name);
    out_header.push_back("Dimension");
    std::vector<std::vector<std::string>> categories;
    for (const char* name : kOneHot) {
      std::set<std::string> seen;
      for (const auto& row : dim_rows) seen.insert(row[column[name]]);
      categories.emplace_back(seen.begin(), seen.end());
      for (const std::string& c : categories.back()) out_header.push_back(std::string(name) + "_" + c);
    }
    std::string inference = JoinLine(out_header) + "\n";
    for (size_t i = 0; i < dim_rows.size() && static_cast<int>(i) < options.inference_rows; ++i) {
      const auto& row = dim_rows[dim_rows.size() - 1 - i];  // From the end: the last rows shuffled in.
      std::vector<std::string> values = {row[column["Churn?"]] == "True." ? "1" : "0"};
      for (const char* name : kNumeric) values.push_back(Float(std::stod(row[column[name]])));
      values.push_back("1.0");
      for (size_t k = 0; k < std::size(kOneHot); ++k) {
        for (const std::string& c : categories[k]) values.push_back(row[column[kOneHot[k]]] == c ? "1.0" : "0.0");
      }
      inference += JoinLine(values) + "\n";
    }
    const std::string n = std::to_string(d);
    RETURN_IF_ERROR(WriteFileAtomic(out / "training-dataset" / dim / ("churn_dummy_dim" + n + ".csv"), training));
    RETURN_IF_ERROR(WriteFileAtomic(out / "inference-dataset" / dim / ("dim_" + n + "_test.csv"), inference));
  }
  return WriteFileAtomic(out / "fleet.csv", fleet);
}

}  // namespace grove::data
