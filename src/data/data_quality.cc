#include "data/data_quality.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include "common/file_util.h"
#include "data/cell_text.h"
#include "data/column_stats.h"
#include "data/csv_reader.h"

namespace grove::data {

namespace fs = std::filesystem;

namespace {

constexpr int kKllBuckets = 10;
constexpr size_t kSketchK = 2048;
constexpr double kSketchC = 0.64;
constexpr size_t kSmallDomain = 20;

enum class ValueKind { kMissing, kIntegral, kFractional, kString };

ValueKind KindOfNumber(double v) {
  if (std::isnan(v)) return ValueKind::kMissing;
  return v == std::floor(v) ? ValueKind::kIntegral : ValueKind::kFractional;
}

size_t ColumnRows(const Column& c) { return c.kind == ColumnKind::kNumeric ? c.numbers.size() : c.texts.size(); }

// The kind of cell `row`; a number is stored in *number.
ValueKind KindOfCell(const Column& c, size_t row, double* number) {
  if (c.kind == ColumnKind::kNumeric) {
    *number = c.numbers[row];
    return KindOfNumber(*number);
  }
  const std::string& text = c.texts[row];
  if (text.empty()) return ValueKind::kMissing;
  std::optional<double> parsed = ParseNumber(text);
  if (!parsed) return ValueKind::kString;
  *number = *parsed;
  return KindOfNumber(*parsed);
}

// The text a cell is counted under in categorical distributions and domains.
std::string CellCategory(const Column& c, size_t row) {
  return c.kind == ColumnKind::kNumeric ? FormatNumber(c.numbers[row]) : c.texts[row];
}

// One pass over a column: counts by kind and the numbers, sorted.
struct ColumnTally {
  size_t rows = 0;
  size_t present = 0;
  size_t integral = 0;
  size_t fractional = 0;
  size_t strings = 0;
  std::vector<double> numbers;
};

ColumnTally TallyColumn(const Column& c) {
  ColumnTally t;
  t.rows = ColumnRows(c);
  for (size_t r = 0; r < t.rows; ++r) {
    double number = 0;
    ValueKind kind = KindOfCell(c, r, &number);
    if (kind == ValueKind::kMissing) continue;
    ++t.present;
    if (kind == ValueKind::kString) {
      ++t.strings;
      continue;
    }
    ++(kind == ValueKind::kIntegral ? t.integral : t.fractional);
    t.numbers.push_back(number);
  }
  std::sort(t.numbers.begin(), t.numbers.end());
  return t;
}

std::string TypeOfTally(const ColumnTally& t) {
  if (t.strings > 0 || t.present == 0) return "String";
  return t.fractional > 0 ? "Fractional" : "Integral";
}

Json KllBuckets(const std::vector<double>& sorted) {
  const double lo = sorted.front();
  const double hi = sorted.back();
  std::vector<double> counts(kKllBuckets, 0.0);
  for (double v : sorted) {
    int index = hi > lo ? static_cast<int>(std::floor((v - lo) * kKllBuckets / (hi - lo))) : 0;
    counts[std::clamp(index, 0, kKllBuckets - 1)] += 1.0;
  }
  Json buckets = Json::array();
  for (int i = 0; i < kKllBuckets; ++i) {
    double lower = lo + (hi - lo) * i / kKllBuckets;
    double upper = i + 1 == kKllBuckets ? hi : lo + (hi - lo) * (i + 1) / kKllBuckets;
    buckets.push_back({{"lower_bound", lower}, {"upper_bound", upper}, {"count", counts[i]}});
  }
  return buckets;
}

// Every value when there are at most kSketchK, else kSketchK evenly spaced order statistics.
Json SketchData(const std::vector<double>& sorted) {
  Json data = Json::array();
  if (sorted.size() <= kSketchK) {
    for (double v : sorted) data.push_back(v);
  } else {
    for (size_t i = 0; i < kSketchK; ++i) {
      data.push_back(sorted[static_cast<size_t>((i + 0.5) * static_cast<double>(sorted.size()) / kSketchK)]);
    }
  }
  return Json::array({std::move(data)});
}

Json NumericalStatistics(const ColumnTally& t) {
  const std::vector<double>& v = t.numbers;
  double sum = std::accumulate(v.begin(), v.end(), 0.0);
  double mean = Mean(v);
  Json stats = {{"common", {{"num_present", t.present}, {"num_missing", t.rows - t.present}}},
                {"mean", mean},
                {"sum", sum},
                {"std_dev", PopulationStd(v, mean)},
                {"min", v.front()},
                {"max", v.back()}};
  stats["distribution"] = {
      {"kll",
       {{"buckets", KllBuckets(v)},
        {"sketch", {{"parameters", {{"c", kSketchC}, {"k", static_cast<double>(kSketchK)}}}, {"data", SketchData(v)}}}}}};
  return stats;
}

// Category -> count in first-seen order.
std::vector<std::pair<std::string, size_t>> CategoryCounts(const Column& c) {
  std::vector<std::pair<std::string, size_t>> out;
  std::unordered_map<std::string, size_t> index;
  const size_t rows = ColumnRows(c);
  for (size_t r = 0; r < rows; ++r) {
    double number = 0;
    if (KindOfCell(c, r, &number) == ValueKind::kMissing) continue;
    std::string value = CellCategory(c, r);
    auto [it, inserted] = index.emplace(value, out.size());
    if (inserted) out.emplace_back(std::move(value), 0);
    ++out[it->second].second;
  }
  return out;
}

Json StringStatistics(const Column& c, const ColumnTally& t) {
  auto counts = CategoryCounts(c);
  Json buckets = Json::array();
  for (const auto& [value, count] : counts) buckets.push_back({{"value", value}, {"count", count}});
  return {{"common", {{"num_present", t.present}, {"num_missing", t.rows - t.present}}},
          {"distinct_count", counts.size()},
          {"distribution", {{"categorical", {{"buckets", std::move(buckets)}}}}}};
}

// Java's Double.toString for ordinary values, as Model Monitor's messages print them: 100 -> "100.0".
std::string JavaNumber(double v) {
  std::string s = FormatNumber(v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

Json Violation(const std::string& feature, const std::string& check, const std::string& description) {
  return {{"feature_name", feature}, {"constraint_check_type", check}, {"description", description}};
}

// The count of a statistics "common" block, or 0.
int64_t CommonCount(const Json& stats, const char* key) {
  if (!stats.is_object() || !stats.contains("common")) return 0;
  const Json& common = stats["common"];
  return common.is_object() && common.contains(key) && common[key].is_number() ? common[key].get<int64_t>() : 0;
}

// The threshold `key` of a monitoring config, or `fallback`.
double ConfigNumber(const Json& config, const char* key, double fallback) {
  return config.is_object() && config.contains(key) && config[key].is_number() ? config[key].get<double>() : fallback;
}

std::string StringField(const Json& object, const char* key, const std::string& fallback = "") {
  return object.is_object() && object.contains(key) && object[key].is_string() ? object[key].get<std::string>()
                                                                               : fallback;
}

bool ConfigDisabled(const Json& config, const char* key) {
  return config.is_object() && config.contains(key) && config[key].is_string() &&
         config[key].get<std::string>() == "Disabled";
}

// L-infinity distance between the empirical CDFs of two sorted samples,
// evaluated at every point of both (the two-sample Kolmogorov-Smirnov statistic).
double CdfDistance(const std::vector<double>& a, const std::vector<double>& b) {
  const double na = static_cast<double>(a.size());
  const double nb = static_cast<double>(b.size());
  size_t i = 0;
  size_t j = 0;
  double d = 0;
  while (i < a.size() || j < b.size()) {
    double x = (j >= b.size() || (i < a.size() && a[i] <= b[j])) ? a[i] : b[j];
    while (i < a.size() && a[i] <= x) ++i;
    while (j < b.size() && b[j] <= x) ++j;
    d = std::max(d, std::fabs(i / na - j / nb));
  }
  return d;
}

// The same against a baseline known only by its buckets: just below the first
// lower bound and at every upper bound (just below it, as buckets are half-open).
Result<double> CdfDistanceToBuckets(const Json& buckets, const std::vector<double>& sorted) {
  double total = 0;
  for (const Json& b : buckets) {
    if (!b.is_object() || !b.contains("count") || !b["count"].is_number() || !b.contains("upper_bound") ||
        !b["upper_bound"].is_number()) {
      return Status::InvalidArgument("kll buckets: expected {lower_bound, upper_bound, count} numbers");
    }
    total += b["count"].get<double>();
  }
  if (total <= 0 || buckets.empty()) return Status::InvalidArgument("the baseline's kll buckets are empty");
  const double n = static_cast<double>(sorted.size());
  double lower = buckets[0].contains("lower_bound") && buckets[0]["lower_bound"].is_number()
                     ? buckets[0]["lower_bound"].get<double>()
                     : buckets[0]["upper_bound"].get<double>();
  double below = static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), lower) - sorted.begin());
  double d = below / n;
  double cumulative = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    cumulative += buckets[i]["count"].get<double>();
    // Buckets are [lower, upper), the last one [lower, upper].
    double upper = buckets[i]["upper_bound"].get<double>();
    auto end = i + 1 == buckets.size() ? std::upper_bound(sorted.begin(), sorted.end(), upper)
                                       : std::lower_bound(sorted.begin(), sorted.end(), upper);
    double at = static_cast<double>(end - sorted.begin());
    d = std::max(d, std::fabs(cumulative / total - at / n));
  }
  return d;
}

// L-infinity distance between two category frequency tables.
double CategoricalDistance(const std::map<std::string, double>& a, const std::map<std::string, double>& b) {
  double na = 0;
  double nb = 0;
  for (const auto& [k, v] : a) na += v;
  for (const auto& [k, v] : b) nb += v;
  if (na <= 0 || nb <= 0) return 0;
  std::set<std::string> keys;
  for (const auto& [k, v] : a) keys.insert(k);
  for (const auto& [k, v] : b) keys.insert(k);
  double d = 0;
  for (const std::string& k : keys) {
    auto ia = a.find(k);
    auto ib = b.find(k);
    double pa = ia == a.end() ? 0 : ia->second / na;
    double pb = ib == b.end() ? 0 : ib->second / nb;
    d = std::max(d, std::fabs(pa - pb));
  }
  return d;
}

// The drift distance of `column` from the baseline feature statistics
// `base`; nullopt when there is nothing to compare.
Result<std::optional<double>> DriftDistance(const Json& base, const Column& column, const ColumnTally& tally) {
  if (base.contains("numerical_statistics")) {
    if (tally.numbers.empty()) return std::optional<double>();
    const Json& stats = base["numerical_statistics"];
    const Json kll = stats.is_object() && stats.contains("distribution") && stats["distribution"].is_object()
                         ? stats["distribution"].value("kll", Json::object())
                         : Json();
    if (!kll.is_object()) return std::optional<double>();
    std::vector<double> sample;
    const Json sketch = kll.value("sketch", Json::object());
    const Json data = sketch.is_object() ? sketch.value("data", Json::array()) : Json::array();
    for (const Json& part : data) {
      if (!part.is_array()) continue;
      for (const Json& v : part) {
        if (v.is_number()) sample.push_back(v.get<double>());
      }
    }
    if (!sample.empty()) {
      std::sort(sample.begin(), sample.end());
      return std::optional<double>(CdfDistance(sample, tally.numbers));
    }
    const Json buckets = kll.value("buckets", Json::array());
    if (!buckets.is_array() || buckets.empty()) return std::optional<double>();
    ASSIGN_OR_RETURN(double d, CdfDistanceToBuckets(buckets, tally.numbers));
    return std::optional<double>(d);
  }
  if (base.contains("string_statistics")) {
    const Json& stats = base["string_statistics"];
    const Json dist = stats.is_object() ? stats.value("distribution", Json::object()) : Json::object();
    const Json categorical = dist.is_object() ? dist.value("categorical", Json::object()) : Json::object();
    const Json buckets = categorical.is_object() ? categorical.value("buckets", Json::array()) : Json::array();
    std::map<std::string, double> a;
    for (const Json& b : buckets) {
      if (b.is_object() && b.contains("value") && b.contains("count") && b["count"].is_number()) {
        a[ScalarText(b["value"])] += b["count"].get<double>();
      }
    }
    std::map<std::string, double> b;
    for (const auto& [value, count] : CategoryCounts(column)) b[value] += static_cast<double>(count);
    if (a.empty() || b.empty()) return std::optional<double>();
    return std::optional<double>(CategoricalDistance(a, b));
  }
  return std::optional<double>();
}

bool MatchesType(const std::string& type, const ColumnTally& t, size_t* matching) {
  if (type == "Integral") {
    *matching = t.integral;
  } else if (type == "Fractional") {
    *matching = t.integral + t.fractional;
  } else if (type == "String") {
    *matching = t.present;
  } else {
    return false;
  }
  return true;
}

// The checks of one baseline feature that the table has.
Status CheckFeature(const Json& feature, const Json* base_stats, const Column& column, const Json& config,
                    Json* violations) {
  const std::string name = feature["name"].get<std::string>();
  const ColumnTally t = TallyColumn(column);
  const double present = static_cast<double>(t.present);
  const std::string type = StringField(feature, "inferred_type");
  size_t matching = 0;
  if (t.present > 0 && MatchesType(type, t, &matching)) {
    double share = matching / present;
    double expected = ConfigNumber(config, "datatype_check_threshold", 1.0);
    if (share < expected) {
      violations->push_back(Violation(
          name, "data_type_check",
          "Data type match requirement is not met. Expected data type: " + type + ", Expected match: " +
              JavaNumber(expected * 100) + "%. Observed: Only " + JavaNumber(share * 100) + "% of data is " + type +
              "."));
    }
  }
  if (feature.contains("completeness") && feature["completeness"].is_number() && t.rows > 0) {
    double expected = feature["completeness"].get<double>();
    double observed = present / static_cast<double>(t.rows);
    if (observed < expected) {
      violations->push_back(Violation(name, "completeness_check",
                                      "Data completeness requirement is not met. Expected: " +
                                          JavaNumber(expected * 100) + "%. Observed: Only " +
                                          JavaNumber(observed * 100) + "%."));
    }
  }
  const Json strings = feature.value("string_constraints", Json::object());
  const Json domains = strings.is_object() ? strings.value("domains", Json::array()) : Json::array();
  if (domains.is_array() && !domains.empty() && t.present > 0) {
    std::set<std::string> domain;
    for (const Json& d : domains) domain.insert(ScalarText(d));
    size_t inside = 0;
    std::vector<std::string> outside;
    for (const auto& [value, count] : CategoryCounts(column)) {
      if (domain.count(value) > 0) {
        inside += count;
      } else if (outside.size() < 5) {
        outside.push_back(value);
      }
    }
    double share = inside / present;
    double expected = ConfigNumber(config, "domain_content_threshold", 1.0);
    if (share < expected) {
      std::string examples;
      for (const std::string& v : outside) examples += (examples.empty() ? "" : ", ") + v;
      violations->push_back(Violation(name, "categorical_values_check",
                                      "Categorical value match requirement is not met. Expected match: " +
                                          JavaNumber(expected * 100) + "%. Observed: Only " +
                                          JavaNumber(share * 100) +
                                          "% of data is within the baseline domain; values outside it: " + examples +
                                          "."));
    }
  }
  const Json drift = config.is_object() && config.contains("distribution_constraints")
                         ? config["distribution_constraints"]
                         : Json::object();
  if (base_stats != nullptr && !ConfigDisabled(drift, "perform_comparison")) {
    auto distance = DriftDistance(*base_stats, column, t);
    if (!distance.ok()) return distance.status().WithContext("baseline statistics, feature '" + name + "'");
    double threshold = ConfigNumber(drift, "comparison_threshold", 0.1);
    if (base_stats->contains("string_statistics")) {
      threshold = ConfigNumber(drift, "categorical_comparison_threshold", threshold);
    }
    if (distance->has_value() && **distance > threshold) {
      violations->push_back(Violation(name, "baseline_drift_check",
                                      "Baseline drift distance: " + FormatNumber(**distance) +
                                          " exceeds threshold: " + FormatNumber(threshold)));
    }
  }
  return Status::OK();
}

// The first CSV file of `path` (a file, or the first *.csv of a folder).
Result<fs::path> FirstCsvFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return path;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() > 4 && name[0] != '.' && name.ends_with(".csv")) {
      files.push_back(entry.path());
    }
  }
  if (files.empty()) return Status::InvalidArgument(path.string() + ": a folder without any *.csv file");
  std::sort(files.begin(), files.end());
  return files.front();
}

// The number of fields of the first non-empty record of `path` (commas
// outside double quotes; a quoted field may hold line breaks).
Result<size_t> CountFields(const fs::path& path) {
  ASSIGN_OR_RETURN(fs::path file, FirstCsvFile(path));
  ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  size_t fields = 1;
  bool quoted = false;
  bool empty = true;
  for (char ch : text) {
    if (ch == '"') quoted = !quoted;
    if (quoted) {
      empty = false;
      continue;
    }
    if (ch == '\n') {
      if (!empty) return fields;
      continue;
    }
    if (ch == '\r') continue;
    empty = false;
    if (ch == ',') ++fields;
  }
  if (!empty) return fields;
  return Status::InvalidArgument(file.string() + ": no rows");
}

std::vector<std::string> GeneratedNames(size_t count) {
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) names.push_back("_c" + std::to_string(i));
  return names;
}

}  // namespace

Result<Table> ReadQualityDataset(const fs::path& path, const QualityDatasetOptions& options) {
  CsvReadOptions read;
  read.header = options.header;
  if (!options.header) {
    ASSIGN_OR_RETURN(size_t fields, CountFields(path));
    read.column_names = GeneratedNames(fields);
  }
  ASSIGN_OR_RETURN(Table table, ReadCsv(path, read));
  if (options.exclude_label) {
    if (table.num_columns() < 2) {
      return Status::InvalidArgument(path.string() + ": exclude_label needs a label column and at least one feature");
    }
    table.RemoveColumn(0);
    if (!options.header) {
      for (size_t i = 0; i < table.num_columns(); ++i) table.mutable_column(i).name = "_c" + std::to_string(i);
    }
  }
  if (!options.label_column.empty()) {
    std::optional<size_t> index = table.FindColumn(options.label_column);
    if (!index) {
      return Status::InvalidArgument(path.string() + ": no label column '" + options.label_column +
                                     "' (columns: " + table.ColumnList() + ")");
    }
    table.RemoveColumn(*index);
  }
  return table;
}

std::string InferredType(const Column& column) { return TypeOfTally(TallyColumn(column)); }

Json ComputeStatistics(const Table& table) {
  Json features = Json::array();
  for (const Column& column : table.columns()) {
    ColumnTally t = TallyColumn(column);
    std::string type = TypeOfTally(t);
    Json feature = {{"name", column.name}, {"inferred_type", type}};
    if (type == "String") {
      feature["string_statistics"] = StringStatistics(column, t);
    } else {
      feature["numerical_statistics"] = NumericalStatistics(t);
    }
    features.push_back(std::move(feature));
  }
  return {{"version", 0.0}, {"dataset", {{"item_count", table.num_rows()}}}, {"features", std::move(features)}};
}

Json SuggestConstraints(const Json& statistics) {
  Json features = Json::array();
  const Json stats_features = statistics.is_object() ? statistics.value("features", Json::array()) : Json::array();
  for (const Json& f : stats_features) {
    if (!f.is_object()) continue;
    const std::string type = StringField(f, "inferred_type", "String");
    const bool numeric = f.contains("numerical_statistics");
    const Json stats = numeric ? f["numerical_statistics"] : f.value("string_statistics", Json::object());
    int64_t present = CommonCount(stats, "num_present");
    int64_t missing = CommonCount(stats, "num_missing");
    double completeness = present + missing > 0 ? static_cast<double>(present) / (present + missing) : 1.0;
    Json feature = {{"name", StringField(f, "name")}, {"inferred_type", type}, {"completeness", completeness}};
    if (numeric) {
      bool non_negative = stats.contains("min") && stats["min"].is_number() && stats["min"].get<double>() >= 0;
      feature["num_constraints"] = {{"is_non_negative", non_negative}};
    } else {
      const Json dist = stats.is_object() ? stats.value("distribution", Json::object()) : Json::object();
      const Json cat = dist.is_object() ? dist.value("categorical", Json::object()) : Json::object();
      const Json buckets = cat.is_object() ? cat.value("buckets", Json::array()) : Json::array();
      size_t distinct = buckets.size();
      if (distinct > 0 && (distinct <= kSmallDomain || distinct * 10 <= static_cast<size_t>(present))) {
        Json domains = Json::array();
        for (const Json& b : buckets) domains.push_back(b.is_object() ? b.value("value", Json("")) : Json(""));
        feature["string_constraints"] = {{"domains", std::move(domains)}};
      }
    }
    features.push_back(std::move(feature));
  }
  Json config = {{"evaluate_constraints", "Enabled"},
                 {"emit_metrics", "Enabled"},
                 {"datatype_check_threshold", 1.0},
                 {"domain_content_threshold", 1.0},
                 {"distribution_constraints",
                  {{"perform_comparison", "Enabled"}, {"comparison_threshold", 0.1}, {"comparison_method", "Robust"}}}};
  return {{"version", 0.0}, {"features", std::move(features)}, {"monitoring_config", std::move(config)}};
}

Result<Json> CheckDataQuality(const Table& table, const Json& baseline_statistics, const Json& baseline_constraints) {
  if (!baseline_constraints.is_object() || !baseline_constraints.contains("features") ||
      !baseline_constraints["features"].is_array()) {
    return Status::InvalidArgument("baseline constraints: expected an object with a \"features\" array");
  }
  const Json config = baseline_constraints.value("monitoring_config", Json::object());
  Json violations = Json::array();
  if (ConfigDisabled(config, "evaluate_constraints")) return Json{{"violations", std::move(violations)}};

  std::map<std::string, const Json*> base_stats;
  if (baseline_statistics.is_object() && baseline_statistics.contains("features") &&
      baseline_statistics["features"].is_array()) {
    for (const Json& f : baseline_statistics["features"]) {
      if (f.is_object() && f.contains("name") && f["name"].is_string()) base_stats[f["name"].get<std::string>()] = &f;
    }
  }
  const Json& features = baseline_constraints["features"];
  std::set<std::string> names;
  for (size_t i = 0; i < features.size(); ++i) {
    const Json& f = features[i];
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string()) {
      return Status::InvalidArgument("baseline constraints: features[" + std::to_string(i) +
                                     "]: expected an object with a string \"name\"");
    }
    const std::string name = f["name"].get<std::string>();
    names.insert(name);
    std::optional<size_t> index = table.FindColumn(name);
    if (!index) {
      violations.push_back(Violation(name, "missing_column_check",
                                     "There are missing columns in current dataset. Number of columns in current "
                                     "dataset: " + std::to_string(table.num_columns()) +
                                         ", Number of columns in baseline constraints: " +
                                         std::to_string(features.size())));
      continue;
    }
    auto it = base_stats.find(name);
    RETURN_IF_ERROR(CheckFeature(f, it == base_stats.end() ? nullptr : it->second, table.column(*index), config,
                                 &violations));
  }
  for (const Column& column : table.columns()) {
    if (names.count(column.name) > 0) continue;
    violations.push_back(Violation(column.name, "extra_column_check",
                                   "There are extra columns in current dataset. Number of columns in current "
                                   "dataset: " + std::to_string(table.num_columns()) +
                                       ", Number of columns in baseline constraints: " +
                                       std::to_string(features.size())));
  }
  return Json{{"violations", std::move(violations)}};
}

int CountConstraints(const Json& constraints) {
  if (!constraints.is_object()) return 0;
  int count = 0;
  for (const char* key : {"regression_constraints", "binary_classification_constraints",
                          "multiclass_classification_constraints"}) {
    if (constraints.contains(key) && constraints[key].is_object()) count += static_cast<int>(constraints[key].size());
  }
  if (!constraints.contains("features") || !constraints["features"].is_array()) return count;
  for (const Json& f : constraints["features"]) {
    if (!f.is_object()) continue;
    count += f.contains("inferred_type") ? 1 : 0;
    count += f.contains("completeness") ? 1 : 0;
    count += f.contains("num_constraints") ? 1 : 0;
    count += f.contains("string_constraints") ? 1 : 0;
  }
  return count;
}

}  // namespace grove::data
