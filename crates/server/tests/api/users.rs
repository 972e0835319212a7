//! Tests: users (being written).
