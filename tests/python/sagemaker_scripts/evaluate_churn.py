"""Customer churn evaluation as seed 002's template writes it: the model is extracted into `..` and opened from
`.` (both `/` in the container), then accuracy and AUC go to evaluation.json."""
import json
import pathlib
import pickle
import tarfile

import pandas as pd
import xgboost
from sklearn.metrics import accuracy_score, roc_auc_score

if __name__ == "__main__":
    model_path = "/opt/ml/processing/model/model.tar.gz"
    with tarfile.open(model_path) as tar:
        tar.extractall(path="..")
    model = pickle.load(open("xgboost-model", "rb"))

    df = pd.read_csv("/opt/ml/processing/test/test.csv", header=None)
    y_test = df.iloc[:, 0].to_numpy()
    df.drop(df.columns[0], axis=1, inplace=True)
    probabilities = model.predict(xgboost.DMatrix(df.values))
    acc = accuracy_score(y_test, probabilities.round())
    auc = roc_auc_score(y_test, probabilities)
    report_dict = {"binary_classification_metrics": {"accuracy": {"value": acc, "standard_deviation": "NaN"},
                                                     "auc": {"value": auc, "standard_deviation": "NaN"}}}
    output_dir = "/opt/ml/processing/evaluation"
    pathlib.Path(output_dir).mkdir(parents=True, exist_ok=True)
    with open(f"{output_dir}/evaluation.json", "w") as f:
        f.write(json.dumps(report_dict))
