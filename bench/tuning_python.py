"""Seed 000's model selection in scikit-learn: the comparison that
bench/tuning_bench measures Grove's Tuning against. RandomizedSearchCV, 60
trials x 5 stratified folds, roc_auc, over the six families and the seed's
spaces as examples/multimodel.yaml writes them (LightGBM as XGBoost with
lossguide growth, as Grove maps it; logistic regression and the MLP behind a
StandardScaler, as Grove's families standardise). Prints one JSON line:
{"seconds": search time, "best_score", "best_family", "trials"}.
Usage: tuning_python.py <label-last CSV with a header> [n_jobs] [n_iter]
"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier


def spaces():
    scaled = [StandardScaler()]
    xgb = dict(tree_method="hist", n_jobs=1, random_state=0)
    return [
        {"scale": ["passthrough"], "clf": [RandomForestClassifier(random_state=0)],
         "clf__n_estimators": list(range(50, 550, 50)), "clf__criterion": ["gini", "entropy"],
         "clf__max_depth": [5, 10, 15, 20], "clf__min_samples_split": list(range(2, 12)),
         "clf__min_samples_leaf": list(range(1, 12)), "clf__max_features": ["sqrt", "log2", None],
         "clf__class_weight": ["balanced", None]},
        {"scale": scaled, "clf": [MLPClassifier(random_state=0)],
         "clf__hidden_layer_sizes": [(50,), (100,), (50, 50)], "clf__activation": ["logistic", "relu"],
         "clf__learning_rate_init": list(np.logspace(-3, -1, 5)), "clf__alpha": list(np.logspace(-5, 3, 5)),
         "clf__max_iter": [100, 200, 500, 1000]},
        {"scale": scaled, "clf": [LogisticRegression()],
         "clf__penalty": ["l2", None], "clf__C": list(np.logspace(-3, 3, 30)),
         "clf__class_weight": ["balanced", None], "clf__max_iter": [50, 100, 200, 500]},
        {"scale": ["passthrough"], "clf": [GaussianNB()], "clf__var_smoothing": list(np.logspace(-10, 0, 30))},
        {"scale": ["passthrough"], "clf": [XGBClassifier(**xgb)],
         "clf__booster": ["gbtree", "gblinear", "dart"], "clf__n_estimators": [50, 100, 150, 200],
         "clf__learning_rate": list(np.logspace(-3, -1, 5)), "clf__max_depth": list(range(3, 8)),
         "clf__min_child_weight": list(range(1, 11)), "clf__subsample": list(np.linspace(0.6, 1, 5)),
         "clf__colsample_bytree": list(np.linspace(0.5, 1, 5)), "clf__gamma": [0, 0.1, 0.5],
         "clf__reg_alpha": [0, 0.01, 0.1, 1], "clf__reg_lambda": [0.01, 0.1, 1]},
        {"scale": ["passthrough"], "clf": [XGBClassifier(grow_policy="lossguide", **xgb)],
         "clf__booster": ["gbtree", "dart", "gbtree"], "clf__max_leaves": list(range(10, 102)),
         "clf__max_depth": list(range(3, 8)), "clf__learning_rate": list(np.logspace(-3, -1, 5)),
         "clf__n_estimators": [50, 100, 150, 200], "clf__subsample": list(np.linspace(0.5, 1, 5)),
         "clf__colsample_bytree": list(np.linspace(0.5, 1, 5)), "clf__reg_alpha": [0, 0.1, 0.5],
         "clf__reg_lambda": [0, 0.1, 0.5], "clf__gamma": [0, 0.1, 0.5], "clf__min_child_weight": list(range(1, 11))},
    ]


def main(path, n_jobs, n_iter):
    df = pd.read_csv(path)
    x = df.drop(columns=["CLASS"]).to_numpy()
    y = df["CLASS"].to_numpy()
    search = RandomizedSearchCV(Pipeline([("scale", "passthrough"), ("clf", GaussianNB())]), spaces(),
                                n_iter=n_iter, scoring="roc_auc", n_jobs=n_jobs, refit=False, random_state=42,
                                cv=StratifiedKFold(5, shuffle=True, random_state=42), error_score=np.nan)
    start = time.perf_counter()
    search.fit(x, y)
    seconds = time.perf_counter() - start
    best = search.best_index_
    print(json.dumps({"seconds": seconds, "best_score": float(search.cv_results_["mean_test_score"][best]),
                      "best_family": type(search.cv_results_["params"][best]["clf"]).__name__,
                      "trials": len(search.cv_results_["params"])}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2, int(sys.argv[3]) if len(sys.argv) > 3 else 60)
