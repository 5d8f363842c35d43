#!/bin/bash
# Bash completion of sluice as a user meets it: commands, subcommands, options, option values,
# the flow names and setting keys of the data folder named on the line.
# usage: check_completion.sh SLUICE COMPLETION_SCRIPT     (exit 77: skipped, the reason printed)
set -u
sluice=$1
script=$2
common=/usr/share/bash-completion/bash_completion
[ -f "$common" ] || { echo "SKIP: bash-completion is not installed"; exit 77; }
# shellcheck disable=SC1090
source "$common"
source "$script"
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
mkdir -p "$data/flows"
printf 'steps:\n  - id: a\n    run: echo a\n' >"$data/flows/zebra-nightly.yaml"
bin=$(mktemp -d)
trap 'rm -rf "$data" "$bin"' EXIT
ln -s "$(realpath "$sluice")" "$bin/sluice"
PATH="$bin:$PATH"
failed=0

# expect "WORDS ..." "EXPECTED": completing the last word of WORDS offers exactly EXPECTED
# (sorted, space separated).
expect() {
    local line=$1 want=$2 got
    read -r -a COMP_WORDS <<<"$line"
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    _sluice
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" != "$want" ]; then
        echo "FAIL: '$line' completes to '$got', expected '$want'"
        failed=1
    fi
}
expect "sluice s" "schedule send-report serve store"
expect "sluice flows " "check new show"
expect "sluice --data-dir $data run zeb" "zebra-nightly"
expect "sluice --data-dir $data schedule set " \
    "btc-backfill btc-update daily-report demo zebra-nightly"
expect "sluice --data-dir $data config get smtp.p" "smtp.port"
expect "sluice schedule set demo --misfire " "catch-up run-once skip"
expect "sluice flows new x --template s" "shell sql"
expect "sluice runs --state Fa" "Failed"
expect "sluice --lang " "en system zh_CN"
expect "sluice retry 3 --a" "--all"
expect "sluice g" "gaps"
expect "sluice gaps --format " "csv json text"
[ $failed -eq 0 ] && echo "completion ok"
exit $failed
