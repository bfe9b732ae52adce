#pragma once

// The arguments of the built-in tabular preparation (a Processing step without a
// script), as a JSON object. Keys are spelled exactly as below; unknown keys are
// errors. Every argument error names the argument path, e.g.
// "split.train: expected a number in (0, 1]" or
// "transforms[1].columns: no column 'lenght' (columns: sex, length, ...)".
//
//   input: path            REQUIRED. A CSV file, or a directory whose *.csv files
//                          (sorted by name, hidden files skipped) are concatenated;
//                          with a header, every file must have the same header.
//   header: true           Default true: the first line of each file names the columns.
//   columns: [a, b, ...]   REQUIRED when header is false. With a header: optional,
//                          renames the columns, must have the header's count.
//   drop: [Phone, ...]     Optional. Removed right after reading, before anything else
//                          (so filters, label and transforms cannot name them).
//   filter:                Optional. Keep the rows matching every entry. Each entry has
//     - {column: Dimension, equals: DummyDim1}      `column` and exactly one of
//     - {column: State, not_equals: CA}             equals / not_equals (a string or
//     - {column: Area Code, in: [408, 415]}         number) or in (a non-empty list).
//                          A string matches a text cell by exact text; a number, or a
//                          numeric string on a numeric column, matches by numeric value.
//                          A missing cell equals nothing (so not_equals keeps it).
//   categorical: [Area Code]   Optional. Read these as text even if every cell is a
//                          number. (Columns in a one_hot transform are always text.)
//   label: rings           REQUIRED. Regression: the numeric label column; or
//   label: {column: "Churn?", positive: "True."}    classification: 1 where the cell
//                          equals `positive` (matched like a filter value), else 0.
//                          `{column: x}` alone is a regression label. An empty, NaN
//                          or infinite label cell is an error; so is a classification
//                          label with one class only (no row has `positive`, or all do).
//   transforms:            Optional. Each column may appear in at most one entry.
//     - columns: [length, diameter]                 REQUIRED, non-empty.
//       impute: median | mean | {constant: v}       Optional. Fills missing cells.
//                          median/mean: of the column's non-missing values (median of
//                          an even count: mean of the middle two). constant: a number,
//                          or for one_hot columns a string or number (used as text).
//       scale: standard                             Optional. (x - mean) / std with the
//                          population std (ddof 0, like sklearn's StandardScaler) of the
//                          imputed column; std 0 divides by 1. Missing cells stay missing.
//       one_hot: true | false | {unknown: ignore | error}   Optional. One 0/1 column per
//                          category seen in training (after imputation), named
//                          "<column>_<category>". A missing cell (no impute) gives all
//                          zeros; an unseen category at apply time gives all zeros
//                          (true, ignore) or an error (error). Not with scale or
//                          median/mean.
//   shuffle: true          Default true: shuffle the rows (seeded by split.seed).
//   split: {train: 0.7, validation: 0.15, test: 0.15, seed: 42, stratify: false}
//                          Optional; default {train: 1}. Every key other than seed and
//                          stratify names a split (letters, digits, _ . -; not
//                          "transform") with a fraction in (0, 1]; fractions sum to 1
//                          (+-1e-9). seed: a non-negative integer, default 0.
//                          stratify (default false): split each label class separately
//                          (needs a classification label and shuffle: true); true/false
//                          or the strings "True"/"False". One split may be "rest":
//                          1 minus the others, e.g. {train: rest, test: 0.2}.
//
// Reading: RFC 4180 CSV (quoted fields, "" escapes, LF or CRLF, optional UTF-8
// BOM); empty lines are skipped; an empty cell is missing. A column is numeric when
// every non-empty cell is a finite number (C syntax, surrounding spaces allowed),
// unless it is categorical or one_hot. A row with another
// field count is an error "<file>:<line>: row has 8 fields, expected 9".
//
// Columns that no transform names are passed through: they must be numeric (a text
// or categorical column must be one-hot encoded or dropped); missing cells stay
// missing. A column used as a number (pass-through, impute median/mean/constant,
// scale, regression label) with a cell that is not a number, in a row the filters
// keep, is an error "<file>:<line>:<col>: column 'length': 'abc' is not a number";
// so is a non-finite cell (nan, NaN, inf, -Infinity, 1e999): "... 'inf' is not a
// finite number (infinite); ...". Missing values are empty cells. Mean, median and
// std are computed without overflow for any finite values (1e308 included).
//
// Order: read, drop, filter, fit the transforms on all kept rows (as the reference
// pipelines do, before splitting), apply, shuffle, split. Splits are cut like
// numpy: at int(cumulative fraction * rows), the last takes the rest; an empty
// split is an error. Shuffling is Fisher-Yates over std::mt19937_64(seed), the same
// on every platform.
//
// Outputs in the output folder: one file per split, named as the split, headerless
// CSV with the label first, then the numeric columns in input order, then the
// one-hot blocks in input order (categories sorted as numbers when all are numbers,
// else as text); numbers in shortest round-trip form, missing as an empty cell. And
// `transform`: the fitted transform as JSON (see fitted_transform.h):
//   {"format": "grove.tabular_transform", "format_version": 1,
//    "label": {"column": "rings", "kind": "regression"},
//             (or {"column": "Churn?", "kind": "classification", "positive": "True."})
//    "input_columns": [{"name": "sex", "kind": "one_hot", "impute": "missing",
//                       "categories": ["F", "I", "M"], "unknown": "ignore"},
//                      {"name": "length", "kind": "numeric", "impute": 0.545,
//                       "scale": {"mean": 0.524, "std": 0.120}}, ...],
//    "dropped_columns": [],   (churn: [{"name": "Phone", "position": 3}, ...])
//    "feature_columns": ["length", ..., "sex_F", "sex_I", "sex_M"]}
// input_columns are the training file's columns without the label and the dropped
// ones, in file order; a dropped column's position is its 0-based index among the
// file's columns without the label; feature_columns are the output columns after the label.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "data/csv_reader.h"

namespace grove::data {

enum class ImputeKind { kNone, kMedian, kMean, kConstant };

struct TransformSpec {
  std::vector<std::string> columns;
  ImputeKind impute = ImputeKind::kNone;
  Json impute_constant;  // kConstant: a string or number.
  bool scale = false;
  bool one_hot = false;
  bool unknown_is_error = false;  // one_hot {unknown: error}.
};

enum class FilterOp { kEquals, kNotEquals, kIn };

struct FilterSpec {
  std::string column;
  FilterOp op = FilterOp::kEquals;
  std::vector<Json> values;  // Strings or numbers; one for equals / not_equals.
};

struct LabelSpec {
  std::string column;
  bool classification = false;
  Json positive;     // classification: a string or number.
  std::string path;  // "label" or "label.column", for messages.
};

struct SplitPart {
  std::string name;
  double fraction = 0;
};

struct SplitSpec {
  std::vector<SplitPart> parts;  // In the order written.
  uint64_t seed = 0;
  bool stratify = false;
};

// The parsed arguments; see the format above.
struct PrepareSpec {
  std::filesystem::path input;
  bool header = true;
  std::vector<std::string> columns;
  std::vector<std::string> drop;
  std::vector<FilterSpec> filters;
  std::vector<std::string> categorical;
  LabelSpec label;
  std::vector<TransformSpec> transforms;
  bool shuffle = true;
  SplitSpec split;
};

// Parses and checks `args` (shapes, types, ranges, combinations) without
// reading data. Errors name the argument path.
Result<PrepareSpec> ParsePrepareSpec(const Json& args);

// Checks every column the spec names against `names` (the columns read, after
// renaming): unknown or dropped columns, the label inside a transform,
// categorical columns used numerically.
Status CheckColumnReferences(const PrepareSpec& spec, const std::vector<std::string>& names);

// How the input is read: header and names as given; columns in categorical or
// in a one_hot transform, and a classification label, are read as text.
CsvReadOptions CsvOptionsFor(const PrepareSpec& spec);

}  // namespace grove::data
