//! Schema introspection (tables, columns, indexes) in a backend-neutral form, so a test can
//! prove SQLite and PostgreSQL end with the same schema.

use std::collections::BTreeMap;

use brokercrm_core::Result;
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};

use crate::db::{Backend, Db};
use crate::error::DbResultExt;

/// A column: name and nullability.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnInfo {
    pub name: String,
    pub nullable: bool,
}

/// An index: columns in order and uniqueness.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexInfo {
    pub columns: Vec<String>,
    pub unique: bool,
}

/// Table name → (sorted columns, sorted named indexes).
pub type SchemaInfo = BTreeMap<String, (Vec<ColumnInfo>, Vec<IndexInfo>)>;

async fn rows<C: ConnectionTrait>(db: &C, sql: &str) -> Result<Vec<sea_orm::QueryResult>> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_owned())).await.db()
}

/// Describes every application table (migration bookkeeping excluded). Primary-key and
/// unique-constraint indexes that backends create implicitly are excluded; explicit ones kept.
pub async fn describe(db: &Db) -> Result<SchemaInfo> {
    let mut out = SchemaInfo::new();
    match db.backend() {
        Backend::Sqlite => {
            // One connection throughout: SQLite's PRAGMAs answer from that connection's cached
            // schema, and a pooled connection that missed a migration can answer from a stale
            // one (an index listed by one connection had no columns on another).
            let conn = db.conn().begin().await.db()?;
            let db = &conn;
            let tables = rows(db, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'").await?;
            for t in tables {
                let table: String = t.try_get("", "name").db()?;
                let mut cols = Vec::new();
                for c in rows(db, &format!("PRAGMA table_info(\"{table}\")")).await? {
                    let notnull: i32 = c.try_get("", "notnull").db()?;
                    let pk: i32 = c.try_get("", "pk").db()?;
                    cols.push(ColumnInfo {
                        name: c.try_get("", "name").db()?,
                        nullable: notnull == 0 && pk == 0,
                    });
                }
                let mut idx = Vec::new();
                for i in rows(db, &format!("PRAGMA index_list(\"{table}\")")).await? {
                    let origin: String = i.try_get("", "origin").db()?;
                    if origin != "c" {
                        continue;
                    }
                    let name: String = i.try_get("", "name").db()?;
                    let unique: i32 = i.try_get("", "unique").db()?;
                    let mut columns = Vec::new();
                    for c in rows(db, &format!("PRAGMA index_info(\"{name}\")")).await? {
                        // An expression (`lower(ref_key)`) has no column name; PostgreSQL's
                        // side leaves expressions out of the list too.
                        let column: Option<String> = c.try_get("", "name").db()?;
                        columns.extend(column);
                    }
                    idx.push(IndexInfo { columns, unique: unique == 1 });
                }
                cols.sort();
                idx.sort();
                out.insert(table, (cols, idx));
            }
        }
        Backend::Postgres => {
            let db = db.conn();
            let tables = rows(db, "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'seaql_migrations'").await?;
            for t in tables {
                let table: String = t.try_get("", "name").db()?;
                let mut cols = Vec::new();
                let sql = format!(
                    "SELECT column_name::text AS name, is_nullable::text AS nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '{table}'"
                );
                for c in rows(db, &sql).await? {
                    let nullable: String = c.try_get("", "nullable").db()?;
                    cols.push(ColumnInfo {
                        name: c.try_get("", "name").db()?,
                        nullable: nullable == "YES",
                    });
                }
                let sql = format!(
                    "SELECT ix.indisunique AS uniq, array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord) JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS cols \
                     FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid \
                     LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid \
                     WHERE t.relname = '{table}' AND t.relnamespace = current_schema()::regnamespace AND con.oid IS NULL"
                );
                let mut idx = Vec::new();
                for i in rows(db, &sql).await? {
                    let cols_s: String = i.try_get("", "cols").db()?;
                    idx.push(IndexInfo {
                        columns: cols_s
                            .split(',')
                            .filter(|c| !c.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        unique: i.try_get("", "uniq").db()?,
                    });
                }
                cols.sort();
                idx.sort();
                out.insert(table, (cols, idx));
            }
        }
    }
    Ok(out)
}

/// Reverts every migration (tests of the down path).
pub async fn migrate_down_all(db: &Db) -> Result<()> {
    use sea_orm_migration::MigratorTrait;
    crate::Migrator::down(db.conn(), None).await.db()
}
