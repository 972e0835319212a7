//! Tests: email_delivery (being written).
