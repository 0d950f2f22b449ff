#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The generic netlink family: autoload, info, the feature dump, requests
# the family must refuse.
. "$(dirname "$0")/lib.sh"

unload_module
on_exit unload_module

# The family name is an alias of the module: first use loads it.
check "tbx info loads the module through the family alias" "$TBX" info
check "module is loaded after first use" module_loaded

info=$("$TBX" -j info)
expect_eq "info reports the module version" \
	"$(printf '%s' "$info" | jq -r .version)" "$(cat "$TOP/VERSION")"
expect_eq "info reports family version 1" \
	"$(printf '%s' "$info" | jq -r .genl_version)" 1
expect_eq "no runs live" "$(printf '%s' "$info" | jq -r .objects.runs)" 0

feat=$("$TBX" -j feature)
expect_eq "feature dump lists what info lists" \
	"$(printf '%s' "$feat" | jq -c '[.[].name]')" \
	"$(printf '%s' "$info" | jq -c '.features')"
check "every feature has a description" \
	sh -c "printf '%s' '$feat' | jq -e 'all(.[]; (.desc | length) > 0)'"

expect_fail "attributes on GET_INFO are refused, naming the attribute" 2 \
	"Unsupported attribute.*\(attribute config\)|attribute config" \
	"$GENL_RAW" info-extra-attr
expect_fail "an unknown attribute type is refused" 2 "[Uu]nknown attribute" \
	"$GENL_RAW" info-unknown-attr
expect_fail "an unknown command is refused" 2 "not supported" \
	"$GENL_RAW" unknown-cmd

# Unprivileged callers may read but not change anything.
check "info works without CAP_NET_ADMIN" nobody "$TBX" info

expect_fail "usage errors exit 1" 1 "info takes no arguments" "$TBX" info extra
expect_fail "unknown noun exits 1" 1 "unknown noun" "$TBX" frobnicate

finish
