//! Tests: adapters (being written).
