//! Migrations: SQLite and PostgreSQL end with the same tables, columns and indexes, and the
//! down path reverts cleanly.

use brokercrm_store::Db;
use brokercrm_store::introspect::{describe, migrate_down_all};

use crate::helpers::{DatabaseGuard, fresh_database_url};

async fn migrated(url: &str) -> Db {
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    db
}

#[tokio::test]
async fn sqlite_migrations_revert_and_reapply_to_the_same_schema() {
    let dir = tempfile::tempdir().unwrap();
    let db = migrated(&format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display())).await;
    let first = describe(&db).await.unwrap();
    assert!(first.contains_key("users") && first.contains_key("jobs"), "{first:?}");
    migrate_down_all(&db).await.unwrap();
    assert!(describe(&db).await.unwrap().is_empty());
    db.migrate().await.unwrap();
    assert_eq!(describe(&db).await.unwrap(), first);
}

#[tokio::test]
async fn sqlite_and_postgres_have_the_same_schema() {
    if std::env::var("TEST_DATABASE_URL").map(|s| s.is_empty()).unwrap_or(true) {
        eprintln!("TEST_DATABASE_URL not set: PostgreSQL side of the schema comparison skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite =
        migrated(&format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display())).await;
    let pg_url = fresh_database_url(dir.path()).await;
    let _database = DatabaseGuard::for_url(&pg_url);
    assert!(pg_url.starts_with("postgres"));
    let pg = migrated(&pg_url).await;
    let (a, b) = (describe(&sqlite).await.unwrap(), describe(&pg).await.unwrap());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "tables differ");
    for (table, (cols, idx)) in &a {
        let (pcols, pidx) = &b[table];
        assert_eq!(cols, pcols, "columns of {table} differ");
        assert_eq!(idx, pidx, "indexes of {table} differ");
    }
}
