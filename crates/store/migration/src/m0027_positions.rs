//! Orders and positions (issue 15): a position (pending, open, closed or cancelled) on a
//! wallet, and the orders that opened, closed or are waiting to open it. Prices, sizes and
//! money are integers at 10^-8; a position's `version` is the exactly-once key of a close.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk, index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("positions")
                .col(big_pk_auto("id"))
                .col(big_integer("wallet_id"))
                .col(big_integer("user_id"))
                .col(boolean("demo"))
                .col(string_len("currency", 16))
                .col(string_len("symbol", 32))
                .col(string_len("side", 8))
                .col(string_len("status", 16))
                .col(string_len("platform", 8))
                .col(big_integer("size"))
                .col(big_integer_null("open_price"))
                .col(big_integer_null("close_price"))
                .col(big_integer_null("stop_loss"))
                .col(big_integer_null("take_profit"))
                .col(string_len_null("trailing_pct", 32))
                .col(big_integer_null("trailing_stop"))
                .col(big_integer_null("invest"))
                .col(big_integer_null("close_after_seconds"))
                .col(big_integer("margin"))
                .col(big_integer("commission"))
                .col(big_integer("swap"))
                .col(big_integer_null("closed_pl"))
                .col(big_integer_null("closed_pl_account"))
                .col(string_len_null("closed_reason", 32))
                .col(string_len("external_id", 64))
                .col(big_integer("version"))
                .col(ts_null("opened_at"))
                .col(ts_null("closed_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "positions",
                    "wallet_id",
                    "wallets",
                    ForeignKeyAction::Restrict,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("positions", &["wallet_id", "status"], false)).await?;
        m.create_index(index("positions", &["status", "symbol"], false)).await?;
        m.create_index(index("positions", &["user_id"], false)).await?;
        m.create_index(index("positions", &["external_id"], true)).await?;
        m.create_table(
            Table::create()
                .table("orders")
                .col(big_pk_auto("id"))
                .col(big_integer("position_id"))
                .col(big_integer("wallet_id"))
                .col(big_integer("user_id"))
                .col(string_len("symbol", 32))
                .col(string_len("side", 8))
                .col(string_len("kind", 8))
                .col(string_len("purpose", 8))
                .col(string_len("status", 16))
                .col(big_integer("size"))
                .col(big_integer_null("limit_price"))
                .col(big_integer_null("stop_price"))
                .col(big_integer_null("fill_price"))
                .col(string_len("external_id", 64))
                .col(ts_null("filled_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk(
                    "orders",
                    "position_id",
                    "positions",
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("orders", &["position_id"], false)).await?;
        m.create_index(index("orders", &["status", "symbol"], false)).await?;
        m.create_index(index("orders", &["wallet_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("orders").to_owned()).await?;
        m.drop_table(Table::drop().table("positions").to_owned()).await
    }
}
