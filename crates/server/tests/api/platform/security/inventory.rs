//! Finding 13: every route the server answers is in `/openapi.json`.
