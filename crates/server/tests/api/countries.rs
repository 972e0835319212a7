//! Tests: countries (being written).
