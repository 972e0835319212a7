//! Small helpers shared by the migrations: timestamps and index builders.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::timestamp_with_time_zone;

/// `created_at`/`updated_at`-style UTC timestamp column, not null.
pub fn ts(name: &'static str) -> ColumnDef {
    timestamp_with_time_zone(name)
}

/// A nullable UTC timestamp column.
pub fn ts_null(name: &'static str) -> ColumnDef {
    sea_orm_migration::schema::timestamp_with_time_zone_null(name)
}

/// A (possibly unique) index on `table(cols...)` named `ix_<table>_<cols>`.
pub fn index(table: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut ix = Index::create();
    ix.name(format!("ix_{}_{}", table, cols.join("_"))).table(table);
    for c in cols {
        ix.col(*c);
    }
    if unique {
        ix.unique();
    }
    ix.to_owned()
}

/// A foreign key from `table.col` to `users.id`, cascading deletes.
pub fn fk_user(table: &'static str, col: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(table, col)
        .to("users", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

/// A foreign key from `table.col` to `to.id` with the given delete action.
pub fn fk(
    table: &'static str,
    col: &'static str,
    to: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(table, col)
        .to(to, "id")
        .on_delete(on_delete)
        .to_owned()
}
