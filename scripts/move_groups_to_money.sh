#!/bin/sh
# Issue 15: trading groups move down into money (docs/decisions.md, "Trading core").
# Mechanical: git mv the four layer files, then rewrite the module paths.
set -e
cd "$(dirname "$0")/.."
git mv crates/core/src/trading/groups.rs crates/core/src/money/groups.rs
git mv crates/store/src/repo/trading/groups.rs crates/store/src/repo/money/groups.rs
git mv crates/app/src/trading/groups.rs crates/app/src/money/groups.rs
git mv crates/http/src/crm/trading/groups.rs crates/http/src/crm/money/groups.rs
files=$(git ls-files 'crates/*.rs' 'docs/*.md' | grep -v '^docs/decisions.md$')
# shellcheck disable=SC2086
sed -i \
  -e 's/\(crate\|brokercrm_core\|brokercrm_app\|brokercrm_store::repo\|repo\|crm\)::trading::groups/\1::money::groups/g' \
  -e 's#\(core/src\|store/src/repo\|app/src\|http/src/crm\)/trading/groups\.rs#\1/money/groups.rs#g' \
  -e 's#`trading/groups`#`money/groups`#g' \
  $files
sed -i '/^pub mod groups;$/d' crates/core/src/trading/mod.rs crates/store/src/repo/trading/mod.rs \
  crates/app/src/trading/mod.rs crates/http/src/crm/trading/mod.rs
sed -i '/\.merge(groups::routes())/d' crates/http/src/crm/trading/mod.rs
for m in crates/core/src/money/mod.rs crates/store/src/repo/money/mod.rs crates/app/src/money/mod.rs; do
  sed -i 's/^pub mod fx;$/&\npub mod groups;/' "$m"
done
sed -i 's/^pub mod exchange_rates;$/&\npub mod groups;/' crates/http/src/crm/money/mod.rs
sed -i 's/        \.merge(exchange_rates::routes())/&\n        .merge(groups::routes())/' crates/http/src/crm/money/mod.rs
