//! Web push: the server's VAPID key pair (generated on first start, the private key sealed
//! with the data key), browser subscriptions per user and topic, and staff sending a
//! notification to a customer's subscriptions of a topic — one `messaging.push` job per
//! subscription, encrypted and VAPID-signed at delivery; a push service answering 404/410
//! removes the subscription.

pub mod keys;
pub mod send;
pub mod subscriptions;
