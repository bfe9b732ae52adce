"""Customer churn preprocessing as seed 002's template writes it: download the raw data with boto3, drop the
phone and charges, one-hot the categoricals, keep Churn?_True. as the label in column 0, shuffle with seed 1729
and split 70/20/10 into label-first CSVs without a header."""
import argparse
import os
import pathlib

import boto3
import numpy as np
import pandas as pd

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--input-data", type=str, required=True)
    args = parser.parse_args()
    base_dir = "/opt/ml/processing"
    pathlib.Path(f"{base_dir}/data").mkdir(parents=True, exist_ok=True)
    bucket = args.input_data.split("/")[2]
    key = "/".join(args.input_data.split("/")[3:])
    fn = f"{base_dir}/data/raw-data.csv"
    boto3.resource("s3").Bucket(bucket).download_file(key, fn)

    df = pd.read_csv(fn)
    os.unlink(fn)
    df = df.drop("Phone", axis=1)
    df["Area Code"] = df["Area Code"].astype(object)
    df = df.drop(["Day Charge", "Eve Charge", "Night Charge", "Intl Charge"], axis=1)
    model_data = pd.get_dummies(df)
    model_data = pd.concat([model_data["Churn?_True."], model_data.drop(["Churn?_False.", "Churn?_True."], axis=1)],
                           axis=1)
    model_data = model_data.astype(float)
    train, validation, test = np.split(model_data.sample(frac=1, random_state=1729),
                                       [int(0.7 * len(model_data)), int(0.9 * len(model_data))])
    train.to_csv(f"{base_dir}/train/train.csv", header=False, index=False)
    validation.to_csv(f"{base_dir}/validation/validation.csv", header=False, index=False)
    test.to_csv(f"{base_dir}/test/test.csv", header=False, index=False)
