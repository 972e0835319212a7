//! Maps database errors onto the one internal error type, in one place.

use brokercrm_core::Error;
use sea_orm::{DbErr, SqlErr};

/// `.db()` turns a SeaORM result into the internal result: unique/foreign-key violations
/// become `Conflict`, everything else `Internal` (its text stays in logs).
pub trait DbResultExt<T> {
    fn db(self) -> Result<T, Error>;
}

impl<T> DbResultExt<T> for Result<T, DbErr> {
    fn db(self) -> Result<T, Error> {
        self.map_err(map_db_err)
    }
}

/// What an `Internal` error's text starts with when the database refused a transaction for
/// the moment (a deadlock or a serialization failure): running it again may succeed.
const TRANSIENT: &str = "transient: ";

/// Whether `e` is a transaction the database aborted for the moment (PostgreSQL `40P01`
/// deadlock, `40001` serialization failure); the whole transaction may be run again.
pub fn is_transient(e: &Error) -> bool {
    matches!(e, Error::Internal(text) if text.starts_with(TRANSIENT))
}

fn sqlstate(e: &DbErr) -> Option<String> {
    let (DbErr::Query(sea_orm::RuntimeErr::SqlxError(x))
    | DbErr::Exec(sea_orm::RuntimeErr::SqlxError(x))) = e
    else {
        return None;
    };
    x.as_database_error().and_then(|d| d.code()).map(|c| c.into_owned())
}

/// The mapping behind [`DbResultExt::db`].
pub fn map_db_err(e: DbErr) -> Error {
    if let Some(code) = sqlstate(&e)
        && (code == "40P01" || code == "40001")
    {
        tracing::warn!(error = %e, "transaction aborted by the database; it may be run again");
        return Error::Internal(format!("{TRANSIENT}{e}"));
    }
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => Error::Conflict("already exists".into()),
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
            Error::Conflict("referenced record is missing or still in use".into())
        }
        _ => {
            tracing::error!(error = %e, "database error");
            Error::Internal(e.to_string())
        }
    }
}
