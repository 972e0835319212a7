//! Persistence for brokercrm: SeaORM entities, migrations and repositories. The only crate
//! that builds SQL; one query code path for SQLite and PostgreSQL.

pub mod db;
pub mod entities;
pub mod error;
pub mod introspect;
pub mod jobs;
pub mod lazy_tx;
pub mod repo;

pub use brokercrm_migration::Migrator;
pub use db::{Backend, Db};
pub use error::DbResultExt;
pub use lazy_tx::LazyTx;
pub use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
