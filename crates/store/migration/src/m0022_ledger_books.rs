//! Ledger accounts get their book: `demo` is true for the accounts of demo wallets and for the
//! demo provider's clearing account (the other side of demo top-ups), false for every other.
//! A transfer between two books is refused by the ledger's guarded updates, so demo money
//! never becomes real money. Existing accounts are filled from their wallets.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::boolean;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("ledger_accounts")
                .add_column(boolean("demo").default(false))
                .to_owned(),
        )
        .await?;
        let demo_wallets = Query::select()
            .column("id")
            .from("wallets")
            .and_where(Expr::col("is_demo").eq(true))
            .to_owned();
        let fill = Query::update()
            .table("ledger_accounts")
            .value("demo", true)
            .cond_where(
                Condition::any().add(Expr::col("wallet_id").in_subquery(demo_wallets)).add(
                    Condition::all()
                        .add(Expr::col("kind").eq("cash_clearing"))
                        .add(Expr::col("provider").eq("demo")),
                ),
            )
            .to_owned();
        m.exec_stmt(fill).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("ledger_accounts").drop_column("demo").to_owned()).await
    }
}
