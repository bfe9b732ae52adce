#include "pipeline/batch_transform.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/csv_line.h"
#include "common/file_util.h"
#include "data/fitted_transform.h"
#include "ml/dataset.h"
#include "ml/model.h"
#include "ml/model_registry.h"
#include "ml/xgboost_booster.h"

namespace grove::pipeline {

namespace {

namespace fs = std::filesystem;
using ml::Dataset;
using ml::IsModelDocument;
using ml::LabeledMatrix;
using ml::Model;
using ml::ModelRegistry;
using ml::TaskKind;
using ml::XgboostBooster;

std::string QuoteField(const std::string& field) {
  if (field.find_first_of(",\"\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string FormatPrediction(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.9g", v);
  return buf;
}

Result<long> ParseIndex(std::string_view text, const std::string& filter) {
  long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("filter '" + filter + "': '" + std::string(text) + "' is not an index");
  }
  return v;
}

// The model, loaded once: an XGBoost booster or a Grove model document.
class Predictor {
 public:
  static Result<Predictor> Load(const fs::path& path, int nthread) {
    Predictor p;
    ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
    if (IsModelDocument(bytes)) {
      ASSIGN_OR_RETURN(p.document_, ModelRegistry::BuiltIn().Load(bytes));
    } else {
      ASSIGN_OR_RETURN(XgboostBooster booster, XgboostBooster::LoadFromBuffer(bytes));
      if (nthread > 0) RETURN_IF_ERROR(booster.SetParam("nthread", std::to_string(nthread)));
      p.booster_ = std::make_unique<XgboostBooster>(std::move(booster));
    }
    return p;
  }

  // One value per row: the probability of class 1 for a classifier, else the prediction.
  Result<std::vector<double>> Predict(const std::vector<float>& features, size_t rows, size_t cols) const {
    if (booster_) {
      ASSIGN_OR_RETURN(size_t expected, booster_->NumFeatures());
      if (expected != cols) {
        return Status::InvalidArgument("the model expects " + std::to_string(expected) + " features, the rows give " +
                                       std::to_string(cols) + " (check input_filter)");
      }
      ASSIGN_OR_RETURN(std::vector<float> out, booster_->Predict(features, rows, cols));
      if (out.size() == 2 * rows) {  // multi:softprob with 2 classes: class 1's column.
        std::vector<double> p(rows);
        for (size_t r = 0; r < rows; ++r) p[r] = out[2 * r + 1];
        return p;
      }
      if (out.size() != rows) return Status::InvalidArgument("the model gives more than one output per row");
      return std::vector<double>(out.begin(), out.end());
    }
    LabeledMatrix matrix;
    matrix.rows = rows;
    matrix.cols = cols;
    matrix.labels.assign(rows, 0.0f);
    matrix.features = features;
    Dataset data = Dataset::FromLabeledMatrix(matrix);
    return document_->task() == TaskKind::kBinaryClassification ? document_->PredictProba(data.View())
                                                                 : document_->Predict(data.View());
  }

 private:
  std::unique_ptr<XgboostBooster> booster_;
  std::unique_ptr<Model> document_;
};

}  // namespace

Result<std::vector<size_t>> SelectFields(const std::string& filter, size_t fields) {
  if (filter.empty() || filter == "$") {
    std::vector<size_t> all(fields);
    for (size_t i = 0; i < fields; ++i) all[i] = i;
    return all;
  }
  if (filter.size() < 4 || filter.rfind("$[", 0) != 0 || filter.back() != ']') {
    return Status::InvalidArgument("filter '" + filter + "': expected $ or $[...] (e.g. $[1:], $[0,-1])");
  }
  const long n = static_cast<long>(fields);
  auto resolve = [n](long i) { return i < 0 ? i + n : i; };
  std::vector<size_t> out;
  std::string_view body(filter.data() + 2, filter.size() - 3);
  for (size_t start = 0; start <= body.size();) {
    size_t comma = std::min(body.find(',', start), body.size());
    std::string_view part = body.substr(start, comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    size_t colon = part.find(':');
    if (colon == std::string_view::npos) {
      ASSIGN_OR_RETURN(long i, ParseIndex(part, filter));
      long at = resolve(i);
      if (at < 0 || at >= n) {
        return Status::InvalidArgument("filter '" + filter + "': index " + std::to_string(i) + " is outside a row of " +
                                       std::to_string(n) + " fields");
      }
      out.push_back(static_cast<size_t>(at));
    } else {
      long from = 0;
      long to = n;
      if (colon > 0) {
        ASSIGN_OR_RETURN(from, ParseIndex(part.substr(0, colon), filter));
      }
      if (colon + 1 < part.size()) {
        ASSIGN_OR_RETURN(to, ParseIndex(part.substr(colon + 1), filter));
      }
      from = std::clamp(resolve(from), 0L, n);
      to = std::clamp(resolve(to), 0L, n);
      for (long i = from; i < to; ++i) out.push_back(static_cast<size_t>(i));
    }
    start = comma + 1;
  }
  return out;
}

Result<BatchTransformResult> RunBatchTransform(const BatchTransformRequest& request) {
  if (request.join_source != "None" && request.join_source != "Input") {
    return Status::InvalidArgument("join_source: expected None or Input, got \"" + request.join_source + "\"");
  }
  std::vector<fs::path> files;
  if (fs::is_directory(request.input)) {
    for (const auto& e : fs::directory_iterator(request.input)) {
      if (e.is_regular_file() && e.path().extension() == ".csv") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return Status::InvalidArgument("input: " + request.input.string() + " holds no .csv file");
  } else {
    files.push_back(request.input);
  }
  std::optional<data::FittedTransform> transform;
  if (!request.transform.empty()) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(request.transform));
    Json json = Json::parse(text, nullptr, false);
    if (json.is_discarded()) return Status::InvalidArgument("transform: not JSON");
    auto fitted = data::FittedTransform::FromJson(json);
    if (!fitted.ok()) return fitted.status().WithContext("transform");
    transform = std::move(*fitted);
  }
  ASSIGN_OR_RETURN(Predictor predictor, Predictor::Load(request.model, request.nthread));

  BatchTransformResult result;
  for (const fs::path& file : files) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(file));
    std::vector<std::vector<std::string>> rows;
    std::vector<int> lines;
    std::vector<std::string> header;
    int line = 0;
    for (size_t start = 0; start < text.size();) {
      size_t end = std::min(text.find('\n', start), text.size());
      std::string_view l(text.data() + start, end - start);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      ++line;
      start = end + 1;
      if (l.empty()) continue;
      std::vector<std::string> cells;
      if (!SplitCsvLine(l, &cells)) {
        return Status::InvalidArgument(file.string() + ":" + std::to_string(line) + ": a quoted field is not closed");
      }
      if (request.header && line == 1) {
        header = std::move(cells);
        continue;
      }
      rows.push_back(std::move(cells));
      lines.push_back(line);
    }
    if (rows.empty()) continue;
    const std::string where = file.string() + ":";
    ASSIGN_OR_RETURN(std::vector<size_t> selected, SelectFields(request.input_filter, rows[0].size()));
    const size_t cols = transform ? transform->num_features() : selected.size();
    std::vector<float> features(rows.size() * cols);
    for (size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].size() != rows[0].size()) {
        return Status::InvalidArgument(where + std::to_string(lines[r]) + ": " + std::to_string(rows[r].size()) +
                                       " fields, the first row has " + std::to_string(rows[0].size()));
      }
      std::vector<std::string> cells;
      for (size_t i : selected) cells.push_back(rows[r][i]);
      if (transform) {
        auto row = transform->ApplyToRow(cells);
        if (!row.ok()) return row.status().WithContext(where + std::to_string(lines[r]));
        std::copy(row->begin(), row->end(), features.begin() + r * cols);
        continue;
      }
      for (size_t c = 0; c < cols; ++c) {
        const std::string& cell = cells[c];
        double v = NAN;
        if (!cell.empty()) {
          auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
          if (ec != std::errc() || end != cell.data() + cell.size()) {
            return Status::InvalidArgument(where + std::to_string(lines[r]) + ":" + std::to_string(selected[c] + 1) +
                                           ": '" + cell + "' is not a number");
          }
        }
        features[r * cols + c] = static_cast<float>(v);
      }
    }
    auto predictions = predictor.Predict(features, rows.size(), cols);
    if (!predictions.ok()) return predictions.status().WithContext(file.string());
    auto emit = [&](std::vector<std::string> out) -> Status {
      ASSIGN_OR_RETURN(std::vector<size_t> keep, SelectFields(request.output_filter, out.size()));
      std::string l;
      for (size_t k = 0; k < keep.size(); ++k) l += (k ? "," : "") + QuoteField(out[keep[k]]);
      result.csv += l + "\n";
      return Status::OK();
    };
    if (!header.empty() && result.rows == 0) {
      std::vector<std::string> out = request.join_source == "Input" ? header : std::vector<std::string>{};
      out.push_back("prediction");
      RETURN_IF_ERROR(emit(std::move(out)));
    }
    for (size_t r = 0; r < rows.size(); ++r) {
      std::vector<std::string> out = request.join_source == "Input" ? rows[r] : std::vector<std::string>{};
      out.push_back(FormatPrediction((*predictions)[r]));
      RETURN_IF_ERROR(emit(std::move(out)));
    }
    result.rows += rows.size();
  }
  return result;
}

}  // namespace grove::pipeline
