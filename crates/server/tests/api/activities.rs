//! Tests: activities (being written).
