# The invocation payload formats that serving_bench.sh measures and
# serving_profile.sh profiles; source it. Defines ROW and RAW (one Abalone row,
# transformed and raw), FORMATS (one "name|label|route" per format, the route
# relative to the server: Grove's or SageMaker's), create_format_endpoints and
# write_format_scripts.

ROW="0.1,-0.2,0.3,-0.4,0.5,-0.6,0.7,0,1,0"           # One transformed Abalone feature row.
RAW="M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15"     # One raw Abalone row, without the label.

FORMATS=(
  "csv|CSV features|/api/v1/endpoints/one/invocations"
  "raw|CSV raw row|/api/v1/endpoints/one/invocations"
  "instances|JSON instances|/api/v1/endpoints/one/invocations"
  "features|JSON {features}|/api/v1/endpoints/one/invocations"
  "seed000|seed 000 model+data raw|/api/v1/endpoints/models/invocations"
  "csvout|CSV in, CSV answer|/api/v1/endpoints/one/invocations"
  "sagemaker|SageMaker InvokeEndpoint|/endpoints/one/invocations"
)

# Creates the endpoints the formats use in $GROVE_HOME, after examples/abalone.yaml
# registered an Approved version: "one" (single model) and "models" (multi-model,
# the body names the model, as seed 000's does).
create_format_endpoints() {
  local grove=$1
  "$grove" endpoint create one --follow AbalonePackageGroup >/dev/null
  "$grove" endpoint create models --multi-model --follow AbalonePackageGroup >/dev/null
}

# Writes one wrk script per format into folder $1: <name>.lua.
write_format_scripts() {
  local dir=$1
  post() {
    local name=$1 body=$2 headers=$3
    printf 'wrk.method = "POST"\nwrk.body = [==[%s]==]\n%s\n' "$body" "$headers" >"$dir/$name.lua"
  }
  local csv='wrk.headers["Content-Type"] = "text/csv"'
  local json='wrk.headers["Content-Type"] = "application/json"'
  post csv "$ROW" "$csv"
  post raw "$RAW" "$csv
wrk.headers[\"X-Grove-Input\"] = \"raw\""
  post instances "{\"instances\": [[$ROW]]}" "$json"
  post features "{\"instances\": [{\"features\": [$ROW]}]}" "$json"
  # Seed 000's payload: pandas' to_csv ends the row with a newline.
  post seed000 "{\"model\": \"AbalonePackageGroup\", \"data\": \"$RAW\\n\", \"input\": \"raw\"}" "$json"
  post csvout "$ROW" "$csv
wrk.headers[\"Accept\"] = \"text/csv\""
  # boto3's invoke_endpoint(ContentType="text/csv", Accept="application/json"): SigV4 headers are
  # sent but not checked (--auth off), so they cost what parsing them costs.
  post sagemaker "$ROW" "$csv
wrk.headers[\"Accept\"] = \"application/json\"
wrk.headers[\"User-Agent\"] = \"Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0\"
wrk.headers[\"X-Amz-Date\"] = \"20261128T130000Z\"
wrk.headers[\"amz-sdk-invocation-id\"] = \"5c3f2a4e-7a43-4f0e-9a57-3f1d7c0b6e21\"
wrk.headers[\"amz-sdk-request\"] = \"attempt=1; max=5\"
wrk.headers[\"Authorization\"] = \"AWS4-HMAC-SHA256 Credential=GRVKBENCH/20261128/us-east-1/sagemaker/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date, Signature=0f3c9a2b8e1d4c7a6b5e9f0d2c1b3a4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c\""
}
