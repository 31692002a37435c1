#!/usr/bin/env bash
# Checks the Terraform configuration without touching AWS: formatting always; then, when a
# local copy of the hashicorp/aws provider can be found (the registry may be unreachable),
# `terraform validate` and the plan tests in tests/, which run against a mocked provider.
# Leaves nothing behind in the repository: working data goes to a temporary folder, and a
# lock file this run created is removed again.
#
# Provider lookup: $TF_PLUGIN_DIR if set, then /opt/tf-plugins, then a bounded search of the
# file system for a .../registry.terraform.io/hashicorp/aws folder.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v terraform >/dev/null 2>&1; then
  echo "check.sh: terraform is not on the PATH" >&2
  exit 1
fi

# A CLI configuration that points at a missing file only produces a warning on every command.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
  unset TF_CLI_CONFIG_FILE
fi

echo "==> terraform fmt -check -recursive"
if ! terraform fmt -check -recursive -diff; then
  echo "check.sh: formatting differs; run 'terraform fmt -recursive terraform'" >&2
  exit 1
fi

# True when the folder holds an unpacked provider binary (a stale cache may hold only links).
has_provider() {
  compgen -G "$1/registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws*" >/dev/null
}

# Prints the folder that holds registry.terraform.io/hashicorp/aws, or nothing.
find_plugin_dir() {
  local candidate
  for candidate in "${TF_PLUGIN_DIR:-}" /opt/tf-plugins; do
    if [ -n "$candidate" ] && has_provider "$candidate"; then
      echo "$candidate"
      return
    fi
  done
  while IFS= read -r candidate; do
    candidate=$(dirname "$(dirname "$(dirname "$candidate")")")
    if has_provider "$candidate"; then
      echo "$candidate"
      return
    fi
  done < <(find / -maxdepth 6 -type d -path '*registry.terraform.io/hashicorp/aws' 2>/dev/null || true)
}

plugin_dir=$(find_plugin_dir)
if [ -z "$plugin_dir" ]; then
  echo "==> terraform validate skipped: no local hashicorp/aws provider found (set TF_PLUGIN_DIR to a folder holding registry.terraform.io/hashicorp/aws)"
  exit 0
fi

work=$(mktemp -d)
lock_existed=false
[ -e .terraform.lock.hcl ] && lock_existed=true
cleanup() {
  rm -rf "$work"
  if [ "$lock_existed" = false ]; then
    rm -f .terraform.lock.hcl
  fi
}
trap cleanup EXIT

export TF_DATA_DIR="$work/data"
export TF_IN_AUTOMATION=1

echo "==> terraform init -backend=false -plugin-dir=$plugin_dir"
terraform init -backend=false -input=false -no-color -plugin-dir="$plugin_dir" >"$work/init.log" 2>&1 || {
  cat "$work/init.log" >&2
  exit 1
}

# Test files use mocked providers (Terraform 1.7+); 1.6 knows test files but not mocks, and
# 1.5 knows neither.
read -r major minor < <(terraform version | head -n 1 | sed -E 's/^Terraform v([0-9]+)\.([0-9]+).*/\1 \2/')
if [ "$major" -gt 1 ] || [ "$minor" -ge 7 ]; then
  run_tests=true
  validate_flags=()
elif [ "$minor" -eq 6 ]; then
  run_tests=false
  validate_flags=(-no-tests)
else
  run_tests=false
  validate_flags=()
fi

echo "==> terraform validate"
terraform validate -no-color "${validate_flags[@]}"

if [ "$run_tests" = true ]; then
  echo "==> terraform test (plans against a mocked provider)"
  terraform test -no-color
else
  echo "==> terraform test skipped: mocked providers need Terraform 1.7 or later"
fi
