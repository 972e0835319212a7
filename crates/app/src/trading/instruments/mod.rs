//! Instruments (seed tag Instruments, 9 operations): staff list, create, read, update, delete,
//! sort and export them; everyone signed in reads the symbols; a client reads the active
//! instruments with what it needs to trade them.

pub mod client;
pub mod export;
pub mod manage;
pub mod read;
pub mod view;

pub use client::InstrumentInfo;
pub use view::InstrumentView;
