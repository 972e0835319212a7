//! Finding 12: hardening of the HTTP surface.
