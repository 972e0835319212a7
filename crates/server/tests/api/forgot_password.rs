//! Tests: forgot_password (being written).
