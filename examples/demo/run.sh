#!/usr/bin/env bash
# make demo: build the provider and the emulator, start the emulator on a free loopback port, apply
# examples/demo against it with a development override (nothing is downloaded), show that a second
# plan is empty, destroy, and stop the emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in go terraform; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "demo: '$tool' is not on PATH. Install Go 1.26+ (https://go.dev/doc/install) and Terraform 1.11+ (https://developer.hashicorp.com/terraform/install)." >&2
    exit 1
  }
done

work=$(mktemp -d)
emu_pid=""
cleanup() {
  [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null && wait "$emu_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building the provider and the emulator"
(cd "$root" && go build -o "$work/bin/terraform-provider-alicloudcas" . && go build -o "$work/casemu" ./internal/emulator/cmd/casemu)

echo "== starting the emulator"
# -clock-rate 600: ten emulated minutes a second, so the CA's DV review (5 minutes) takes 0.5 s.
"$work/casemu" -addr 127.0.0.1:0 -clock-rate 600 -initial-state "$root/examples/demo/emulator-seed.json" >"$work/emulator.log" 2>&1 &
emu_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^endpoint: \(http[^ ]*\)$/\1/p' "$work/emulator.log" | head -n1)
  [ -n "$url" ] && break
  kill -0 "$emu_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; echo "demo: the emulator did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/emulator.log" >&2; echo "demo: the emulator did not print its endpoint" >&2; exit 1; }
echo "   emulator at $url"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "certforge/alicloudcas" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export ALIBABA_CLOUD_CAS_ENDPOINT="$url"
export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tCASEmulatorDemoKey ALIBABA_CLOUD_ACCESS_KEY_SECRET=CASEmulatorDemoSecretDoNotUseInProd
unset ALIBABA_CLOUD_SECURITY_TOKEN ALICLOUD_ACCESS_KEY ALICLOUD_SECRET_KEY ALIBABA_CLOUD_PROFILE || true

cp -R "$root/examples/demo/." "$work/config/" 2>/dev/null || { mkdir -p "$work/config" && cp -R "$root/examples/demo/." "$work/config/"; }
rm -rf "$work/config/gencert"
(cd "$root" && go run ./examples/demo/gencert -out "$work/config")
cd "$work/config"

echo "== terraform apply"
terraform apply -auto-approve -input=false
echo "== terraform output"
terraform output
echo "== a second plan must be empty"
set +e
terraform plan -detailed-exitcode -input=false >"$work/plan.txt" 2>&1
code=$?
set -e
if [ "$code" -ne 0 ]; then
  cat "$work/plan.txt"
  echo "demo: the second plan is not empty (exit $code)" >&2
  exit 1
fi
echo "   no changes"
echo "== terraform destroy"
terraform destroy -auto-approve -input=false
echo "== demo finished"
