//! Tests: sessions (being written).
