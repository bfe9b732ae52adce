"""The Abalone pipeline through boto3 (issue 9): StartPipelineExecution of examples/abalone.yaml (its built-in
steps) on `grove server`, then DescribePipelineExecution every 10 ms until Succeeded. Goal: under 1 s on the
2-core machine (on SageMaker it takes about an hour). Each run is on a new server and data folder, so nothing
comes from the cache; only StartPipelineExecution to Succeeded is timed.

Usage: python3 bench/sagemaker_pipeline_bench.py [build dir, default build] [runs, default 7]
Needs boto3 (the python3 first on PATH has it).
"""

import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "python"))
build = sys.argv[1] if len(sys.argv) > 1 else "build"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
os.environ.setdefault("GROVE_BINARY", os.path.abspath(os.path.join(build, "grove")))

from grove_server import GroveServer, grove  # noqa: E402


def run_once():
    server = GroveServer()
    try:
        grove(server.home, "pipeline", "create", "examples/abalone.yaml")
        sm = server.client("sagemaker")
        sm.list_pipelines()  # Connect before the clock starts.
        start = time.perf_counter()
        arn = sm.start_pipeline_execution(PipelineName="abalone")["PipelineExecutionArn"]
        while True:
            status = sm.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"]
            if status != "Executing":
                break
            time.sleep(0.01)
        elapsed = (time.perf_counter() - start) * 1000
        if status != "Succeeded":
            raise SystemExit(f"execution {arn} ended {status}")
        return elapsed
    finally:
        server.close()


def main():
    times = [run_once() for _ in range(runs)]
    print(f"Abalone via boto3, StartPipelineExecution -> Succeeded ({runs} runs, each on a fresh server, "
          f"in-process launcher, 2 cores): min {min(times):.0f} ms, median {statistics.median(times):.0f} ms, "
          f"max {max(times):.0f} ms  (goal < 1000 ms; on SageMaker about an hour)")


if __name__ == "__main__":
    main()
