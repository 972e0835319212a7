//! SQLite's WAL checkpoints run beside the writer (`store::checkpoints`): what writers commit
//! reaches the database file without any writer checkpointing, and the WAL starts again from
//! its beginning under a steady stream of writes instead of growing with them.

use brokercrm_store::checkpoints::{EVERY, RESTART_FRAMES};
use brokercrm_store::{ConnectionTrait, Db};

const BLOB: usize = 64 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commits_reach_the_database_file_and_the_wal_stays_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("w.db");
    let db = Db::connect(&format!("sqlite://{}?mode=rwc", file.display())).await.unwrap();
    let w = db.write_conn();
    w.execute_unprepared("CREATE TABLE blobs (id INTEGER PRIMARY KEY, v BLOB)").await.unwrap();
    // Three times the WAL length that makes the task start it again, one row per commit.
    let bytes = 3 * RESTART_FRAMES as usize * 4096;
    for _ in 0..bytes / BLOB {
        w.execute_unprepared(&format!("INSERT INTO blobs (v) VALUES (zeroblob({BLOB}))"))
            .await
            .unwrap();
    }
    tokio::time::sleep(EVERY * 5).await;
    let size = |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len() as usize).unwrap_or(0);
    let wal = dir.path().join("w.db-wal");
    // The rows are in the database file: the task copied them (no writer does).
    assert!(size(&file) >= bytes * 9 / 10, "database file {} of {bytes} bytes", size(&file));
    // The WAL was started again: it never held everything written.
    assert!(size(&wal) < bytes * 2 / 3, "WAL {} bytes after {bytes} written", size(&wal));
    let n = db
        .conn()
        .query_one_raw(sea_orm::Statement::from_string(
            db.db_backend(),
            "SELECT count(*) FROM blobs".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    assert_eq!(n as usize, bytes / BLOB);
    // Automatic checkpoints are off on the connections: only the task checkpoints.
    let auto = db
        .conn()
        .query_one_raw(sea_orm::Statement::from_string(
            db.db_backend(),
            "PRAGMA wal_autocheckpoint".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap();
    assert_eq!(auto, 0);
}
