//! Tests: settings (being written).
