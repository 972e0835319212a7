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

/// The mapping behind [`DbResultExt::db`].
pub fn map_db_err(e: DbErr) -> Error {
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
