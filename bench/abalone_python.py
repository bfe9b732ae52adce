"""The Abalone template pipeline as one Python script: the comparison that
bench/pipeline_bench measures Grove against. Same work as examples/abalone.yaml:
pandas + scikit-learn preprocessing (median impute + standard scale, constant
impute + one-hot), a seeded shuffle and 70/15/15 split written as label-first
CSVs, XGBoost training (50 rounds, the template's hyperparameters) with a
validation channel, and the evaluation report. Run with Debian's /usr/bin/python3.
"""
import json
import os
import sys
import tempfile

import numpy as np
import pandas as pd
import xgboost
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

COLUMNS = ["sex", "length", "diameter", "height", "whole_weight", "shucked_weight",
           "viscera_weight", "shell_weight", "rings"]


def main(input_path, out_dir):
    df = pd.read_csv(input_path, header=None, names=COLUMNS)
    numeric = COLUMNS[1:-1]
    pre = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")),
                          ("scale", StandardScaler())]), numeric),
        ("cat", Pipeline([("impute", SimpleImputer(strategy="constant", fill_value="missing")),
                          ("onehot", OneHotEncoder(handle_unknown="ignore"))]), ["sex"]),
    ])
    y = df.pop("rings").to_numpy().reshape(-1, 1)
    X = pre.fit_transform(df)
    data = np.concatenate((y, X), axis=1)
    np.random.default_rng(42).shuffle(data)
    train, validation, test = np.split(data, [int(0.7 * len(data)), int(0.85 * len(data))])
    for name, part in (("train", train), ("validation", validation), ("test", test)):
        pd.DataFrame(part).to_csv(os.path.join(out_dir, name + ".csv"), header=False, index=False)

    train = pd.read_csv(os.path.join(out_dir, "train.csv"), header=None).to_numpy()
    validation = pd.read_csv(os.path.join(out_dir, "validation.csv"), header=None).to_numpy()
    dtrain = xgboost.DMatrix(train[:, 1:], label=train[:, 0])
    dval = xgboost.DMatrix(validation[:, 1:], label=validation[:, 0])
    params = {"objective": "reg:squarederror", "max_depth": 5, "eta": 0.2, "gamma": 4,
              "min_child_weight": 6, "subsample": 0.7, "seed": 42}
    booster = xgboost.train(params, dtrain, num_boost_round=50,
                            evals=[(dtrain, "train"), (dval, "validation")], verbose_eval=False)
    booster.save_model(os.path.join(out_dir, "model.json"))

    model = xgboost.Booster(model_file=os.path.join(out_dir, "model.json"))
    test = pd.read_csv(os.path.join(out_dir, "test.csv"), header=None).to_numpy()
    predictions = model.predict(xgboost.DMatrix(test[:, 1:]))
    residuals = test[:, 0] - predictions
    mse = float(np.mean(residuals ** 2))
    report = {"regression_metrics": {"mse": {"value": mse, "standard_deviation": float(np.std(residuals))}}}
    with open(os.path.join(out_dir, "evaluation.json"), "w") as f:
        json.dump(report, f)
    if mse <= 6.0:
        print("registered, mse", round(mse, 3))
    else:
        print("failed, mse", round(mse, 3))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        main(sys.argv[1], tmp)
